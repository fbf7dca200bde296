import type { Logger } from 'pino'
import type { ExpressionCompiler } from './expression.js'
import type { InferenceClient } from './inference.js'
import type { MediaTools } from './media.js'

export type { Logger }

/** Given to `create(config, context)` once per node per run. */
export interface NodeContext {
  /** The node's id in the pipeline (`route`, `ocr`, ...). */
  readonly nodeId: string
  /** A pino child logger bound to the node. Never log secrets or whole items. */
  readonly logger: Logger
  /** Aborted when the run stops. */
  readonly signal: AbortSignal
  /** Models declared in the pipeline, shared pools; accounted to this node. */
  readonly inference: InferenceClient
  readonly media: MediaTools
  /** Resolves a path written in the pipeline file (prompt files, data files) against the file's folder. */
  resolvePath(path: string): string
  /**
   * Compiles an expression in the engine's `when` language, to evaluate per item. Mark the config
   * field with `expressionField` so that `dataflow validate` checks it before the run.
   */
  readonly compileExpression: ExpressionCompiler
  /**
   * A folder for this node's own durable state (`<run dir>/state/<node id>`), kept when the run
   * resumes: cross-item nodes (dedup, sampling) record there what they admitted, so that a resumed
   * run decides exactly as an uninterrupted one. Not created until the node writes to it.
   */
  readonly stateDir: string
}

/** Given to the item handler with each item. */
export interface ItemContext {
  /** Aborted when the item is cancelled (a sibling failed, the run stops). Pass it on to I/O. */
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Bound to this item: its requests get the item's priority in the shared pools. */
  readonly inference: InferenceClient
  readonly media: MediaTools
  /** 1 on the first try; the core retries retryable failures. */
  readonly attempt: number
}

/** Given to sources and sinks. */
export interface IoContext {
  readonly logger: Logger
  readonly signal: AbortSignal
  /** Resolves an input path against the pipeline file's folder. */
  resolvePath(path: string): string
  /** Resolves an output path: relative paths land inside the run directory and must stay inside it (`../x` throws DATAFLOW_CONFIG_INVALID). */
  resolveOutput(path: string): string
  /** The run directory. */
  readonly runDir: string
}
