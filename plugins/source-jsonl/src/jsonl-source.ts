import { stat } from 'node:fs/promises'
import { DataflowError, parsePath, type SourceContext, type SourceInstance, type SourceRecord } from '@dataflow/sdk'
import { DEFAULT_ID_FIELD, type JsonlSourceConfig } from './config.js'
import { countNonBlankLines } from './count-lines.js'
import { readLines } from './read-lines.js'
import { toSourceRecord } from './to-source-record.js'

/** Opens the JSONL file named in the config; throws DATAFLOW_INPUT_NOT_FOUND when it is missing. */
export async function createJsonlSource(config: JsonlSourceConfig, context: SourceContext): Promise<SourceInstance> {
  const path = context.resolvePath(config.path)
  const idField = config.idField ?? DEFAULT_ID_FIELD
  let idPath: string[]
  try {
    idPath = parsePath(idField)
  } catch (error) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `idField: ${(error as Error).message}`)
  }
  await statFile(path)
  let counted: Promise<number> | undefined

  return {
    async count() {
      counted ??= statFile(path).then(() => countNonBlankLines(path))
      return counted
    },
    async fingerprint() {
      const stats = await statFile(path)
      return `jsonl:${path}:${stats.size}:${Math.trunc(stats.mtimeMs)}`
    },
    async *read(): AsyncGenerator<SourceRecord> {
      await statFile(path)
      const seen = new Set<string>()
      for await (const line of readLines(path)) {
        if (context.signal.aborted) return
        if (line.text.trim() === '') continue
        const record = toSourceRecord(line, idPath)
        if (seen.has(record.id)) {
          const id = `${record.id}#line-${line.number}`
          seen.add(id)
          yield {
            id,
            error: new DataflowError(
              'DATAFLOW_INPUT_INVALID',
              `line ${line.number}: duplicate id "${record.id}" (an earlier line has it)`,
              {
                hint: `Ids must be unique; set idField to a unique field or remove the duplicate line.`,
                details: { line: line.number, duplicateOf: record.id },
              },
            ),
          }
          continue
        }
        seen.add(record.id)
        yield record
      }
    },
  }
}

async function statFile(path: string) {
  try {
    const stats = await stat(path)
    if (!stats.isFile())
      throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `${path} is not a file`, {
        hint: 'Set `path` to a JSONL file.',
      })
    return stats
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `JSONL input ${path} does not exist`, {
        hint: "Relative paths are resolved against the pipeline file's folder.",
        details: { path },
        cause: error,
      })
    }
    throw error
  }
}
