import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { DataflowError, type SourceContext, type SourceInstance } from '@dataflow/sdk'
import type { BenchmarkFormat, BenchmarkSourceConfig } from './config.js'
import { countRecords } from './count-records.js'
import { createMediaWriter } from './media-writer.js'
import { readJsonlItems } from './read-jsonl-items.js'
import { readTsvItems } from './read-tsv-items.js'
import { readTsvHeader } from './tsv-header.js'

/** Opens a benchmark file; fails at once when it is missing, its format is unknown or its TSV header lacks columns. */
export async function createBenchmarkSource(
  config: BenchmarkSourceConfig,
  context: SourceContext,
): Promise<SourceInstance> {
  const path = context.resolvePath(config.path)
  await statFile(path)
  const format = toFormat(config.format, path)
  const benchmark = config.benchmark ?? toBenchmarkName(path)
  const header = format === 'tsv' ? await readTsvHeader(path) : undefined
  const media = createMediaWriter((output) => context.resolveOutput(output))
  let counted: Promise<number> | undefined

  return {
    count() {
      counted ??= statFile(path)
        .then(() => countRecords(path, format === 'tsv'))
        .then((records) => (header ? Math.max(0, records - 1) : records))
      return counted
    },
    async fingerprint() {
      const stats = await statFile(path)
      return `benchmark:${benchmark}:${format}:${path}:${stats.size}:${Math.trunc(stats.mtimeMs)}`
    },
    async *read() {
      await statFile(path)
      if (header) yield* readTsvItems({ path, header, benchmark, media, signal: context.signal })
      else yield* readJsonlItems({ path, benchmark, media, signal: context.signal })
    },
  }
}

/** The file name without its extension, blanks replaced: `MMBench_DEV_EN.tsv` -> `MMBench_DEV_EN`. */
export function toBenchmarkName(path: string): string {
  return basename(path, extname(path)).replace(/\s+/g, '_')
}

function toFormat(format: BenchmarkFormat | 'auto', path: string): BenchmarkFormat {
  if (format !== 'auto') return format
  const extension = extname(path).toLowerCase()
  if (extension === '.tsv') return 'tsv'
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl'
  throw new DataflowError(
    'DATAFLOW_CONFIG_INVALID',
    `format: cannot tell the format of ${path} from its extension "${extension}"`,
    {
      hint: 'Set `format: tsv` or `format: jsonl`.',
    },
  )
}

async function statFile(path: string) {
  try {
    const stats = await stat(path)
    if (!stats.isFile())
      throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `${path} is not a file`, {
        hint: 'Set `path` to a benchmark TSV or JSONL file.',
      })
    return stats
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `benchmark file ${path} does not exist`, {
        hint: "Relative paths are resolved against the pipeline file's folder.",
        details: { path },
        cause: error,
      })
    }
    throw error
  }
}
