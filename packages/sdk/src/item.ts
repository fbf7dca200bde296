import type { SerializedError } from './errors.js'

/** Fields of an input item as its source produced them. */
export type ItemData = Record<string, unknown>

/** State of one node for one item. `skipped`: its `when` was false. `failed`: it errored with `onError: continue`. */
export type NodeStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled'

/** What a node sees of one of its `needs`. */
export interface UpstreamResult {
  node: string
  status: NodeStatus
  output?: unknown
  error?: SerializedError
}

/** A read-only view of one item as it moves through the graph. */
export interface NodeInput {
  /** Stable item id, unique within a run. */
  readonly id: string
  /** The fields the source produced (the `item` scope of expressions). */
  readonly item: ItemData
  /** The node's `needs`, in declared order, with their status and output. */
  readonly needs: readonly UpstreamResult[]
  /** Reads a path such as `item.image`, `media.image` or `summary.caption`; undefined when absent. */
  get(path: string): unknown
  /** The output of a finished upstream node (direct or transitive), or undefined. */
  output<T = unknown>(node: string): T | undefined
  /** The status of any node of the pipeline for this item. */
  status(node: string): NodeStatus
}
