import { DataflowError, readPath, type SourceRecord } from '@dataflow/sdk'
import type { Line } from './read-lines.js'

/** Id of a line whose own id cannot be read (not JSON, not an object, unusable id). */
export function toLineId(lineNumber: number): string {
  return `line-${lineNumber}`
}

/**
 * Turns one non-blank line into a source record: the parsed object as item data, or an
 * error record (`DATAFLOW_INPUT_INVALID`, message starting with `line N:`).
 */
export function toSourceRecord(line: Line, idPath: readonly string[]): SourceRecord {
  const invalid = (message: string, id = toLineId(line.number)): SourceRecord => ({
    id,
    error: new DataflowError('DATAFLOW_INPUT_INVALID', `line ${line.number}: ${message}`, {
      details: { line: line.number },
    }),
  })
  let value: unknown
  try {
    value = JSON.parse(line.text)
  } catch (error) {
    return invalid(`not valid JSON (${shortSyntaxMessage(error)})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(
      `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    )
  }
  const data = value as Record<string, unknown>
  const rawId = readPath(data, idPath)
  if (rawId === undefined) return { id: String(line.number), data }
  if ((typeof rawId === 'string' && rawId !== '') || (typeof rawId === 'number' && Number.isFinite(rawId))) {
    return { id: String(rawId), data }
  }
  return invalid(
    `the id field "${idPath.join('.')}" must be a non-empty string or a number, found ${JSON.stringify(rawId)}`,
  )
}

/** V8 quotes the whole input in some syntax messages; keep them one short line. */
function shortSyntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const withoutEcho = message.replace(/, ".*" is not valid JSON$/s, '')
  return withoutEcho.length > 160 ? `${withoutEcho.slice(0, 157)}...` : withoutEcho
}
