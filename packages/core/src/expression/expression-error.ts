import { DataflowError, isDataflowError } from '@dataflow/sdk'

/** A DATAFLOW_EXPRESSION_INVALID error pointing at `offset` (0-based) in `expression`. */
export function expressionError(expression: string, offset: number, message: string, hint?: string): DataflowError {
  const column = offset + 1
  return new DataflowError('DATAFLOW_EXPRESSION_INVALID', `${message} (column ${column} of "${shorten(expression)}")`, {
    ...(hint === undefined ? {} : { hint }),
    details: { expression: shorten(expression), offset, column, reason: message },
  })
}

/** Offset and reason of an expression error, or undefined for other errors. */
export function expressionErrorLocation(
  error: unknown,
): { offset: number; reason: string; hint: string | undefined } | undefined {
  if (!isDataflowError(error) || error.code !== 'DATAFLOW_EXPRESSION_INVALID') return undefined
  const offset = error.details?.['offset']
  const reason = error.details?.['reason']
  if (typeof offset !== 'number' || typeof reason !== 'string') return undefined
  return { offset, reason, hint: error.hint }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}
