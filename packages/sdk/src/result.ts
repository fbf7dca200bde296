const REJECTION = Symbol.for('dataflow.rejection')

/** Returned by a node to drop an item on purpose (filters): the item ends as `rejected`, with why. */
export interface Rejection {
  readonly [REJECTION]: true
  readonly reason: string
  /** JSON facts kept in the rejected record (scores, thresholds...). */
  readonly details: Record<string, unknown> | undefined
  /** Output recorded for the rejecting node (e.g. the judge's scores), visible to sinks of rejected items. */
  readonly output: Record<string, unknown> | undefined
}

/** Rejects the current item: it skips the rest of the graph and ends as `rejected`. */
export function reject(
  reason: string,
  options: { details?: Record<string, unknown>; output?: Record<string, unknown> } = {},
): Rejection {
  return { [REJECTION]: true, reason, details: options.details, output: options.output }
}

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[REJECTION] === true
}

/** What an item handler returns: its output (a JSON object) or a rejection. */
export type NodeOutput = Record<string, unknown>
export type NodeResult<TOutput extends NodeOutput = NodeOutput> = TOutput | Rejection
