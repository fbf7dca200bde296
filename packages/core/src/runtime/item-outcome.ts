import type { ItemData, NodeStatus, SerializedError } from '@dataflow/sdk'

/** How an item ended. `interrupted`: the run stopped before it finished; a resumed run redoes it. */
export type OutcomeKind = 'ok' | 'rejected' | 'error' | 'interrupted'

export interface ItemRejection {
  node: string
  reason: string
  details?: Record<string, unknown>
}

export interface ItemFailure {
  /** Node id, `source` for records the source could not read, or `sink:<id>`. */
  node: string
  error: SerializedError
  attempts: number
}

/** What one node spent on one item: wall time and, for nodes that called models, requests and tokens. */
export interface NodeMetrics {
  ms: number
  requests?: number
  promptTokens?: number
  completionTokens?: number
  /** Answers served from the request cache. */
  cached?: number
  /** Model names the servers reported. */
  models?: string[]
}

/** The single outcome of one input item. */
export interface ItemOutcome {
  id: string
  /** Position in the input stream (0-based). */
  sequence: number
  outcome: OutcomeKind
  item: ItemData
  /** Outputs of nodes that finished (and of a rejecting node that recorded one). */
  outputs: Record<string, unknown>
  /** Status of every node, by id. */
  statuses: Record<string, NodeStatus>
  rejection?: ItemRejection
  /** Why the item failed (outcome `error` or `interrupted`). */
  error?: ItemFailure
  /** Nodes with `onError: continue` that failed while the item went on. */
  failures: ItemFailure[]
  /** Per node that ran: time, requests, tokens, models (the `metrics` scope of sinks). */
  metrics: Record<string, NodeMetrics>
}
