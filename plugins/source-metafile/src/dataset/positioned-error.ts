import { DataflowError, type ErrorCode } from '@dataflow/sdk'
import type { TextPosition } from '../json/text-position.js'

/** `file:line:column` */
export const toLocation = (file: string, position: TextPosition) => `${file}:${position.line}:${position.column}`

/** A DataflowError whose message starts with `file:line:column:` (and whose details hold them). */
export function positionedError(
  code: ErrorCode,
  file: string,
  position: TextPosition,
  message: string,
  options: { hint?: string; details?: Record<string, unknown> } = {},
): DataflowError {
  return new DataflowError(code, `${toLocation(file, position)}: ${message}`, {
    ...(options.hint === undefined ? {} : { hint: options.hint }),
    details: { file, line: position.line, column: position.column, ...options.details },
  })
}
