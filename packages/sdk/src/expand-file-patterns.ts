import { stat } from 'node:fs/promises'
import { expand } from 'brace-expansion'
import { glob, isDynamicPattern } from 'tinyglobby'
import { DataflowError } from './errors.js'

export interface ExpandFilePatternsOptions {
  /** Resolves a pattern written in the pipeline file (relative to its folder) to an absolute one. */
  resolvePath(path: string): string
  /** What the files are, for messages (`tar shards`, `Parquet files`). */
  what: string
  /** The config field the patterns come from, for messages. */
  field: string
}

/**
 * Turns shard patterns into an ordered list of existing files: brace ranges and lists first
 * (`shards/{00000..00099}.tar`, zero padding kept), then globs (`data/*.parquet`, sorted by
 * name). Literal paths keep their order; a file listed twice is kept once. A literal path that
 * does not exist, or a pattern that matches nothing, is DATAFLOW_INPUT_NOT_FOUND naming it.
 */
export async function expandFilePatterns(
  patterns: string | readonly string[],
  options: ExpandFilePatternsOptions,
): Promise<string[]> {
  const files: string[] = []
  const seen = new Set<string>()
  const missing: string[] = []
  const add = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    files.push(file)
  }
  for (const pattern of typeof patterns === 'string' ? [patterns] : patterns) {
    for (const expanded of expand(pattern, { max: 10_000_000 })) {
      const absolute = options.resolvePath(expanded)
      if (isDynamicPattern(absolute)) {
        const matches = await glob(absolute, { absolute: true, onlyFiles: true, expandDirectories: false })
        if (matches.length === 0) missing.push(expanded)
        for (const match of matches.sort()) add(match)
      } else if (await isFile(absolute)) {
        add(absolute)
      } else {
        missing.push(expanded)
      }
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ')
    throw new DataflowError(
      'DATAFLOW_INPUT_NOT_FOUND',
      `${options.field}: ${missing.length} of the ${options.what} listed do not exist or match nothing (${shown}${missing.length > 5 ? ', ...' : ''})`,
      {
        hint: `Check \`${options.field}\`: relative paths are resolved against the pipeline file's folder; a brace range such as {00000..00099} must match the file names exactly.`,
        details: { missing: missing.slice(0, 100) },
      },
    )
  }
  return files
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
