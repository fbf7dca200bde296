import type { Observable } from 'rxjs'
import type { DataflowError } from './errors.js'
import type { IoContext, ItemContext, NodeContext } from './context.js'
import type { ItemData, NodeInput } from './item.js'
import type { ConfigField } from './config/config-field.js'
import type { JsonSchema } from './json-schema.js'
import type { MediaTools } from './media.js'
import type { NodeOutput, NodeResult } from './result.js'
import type { SPEC_VERSION } from './spec-version.js'

/** Handles one item: returns the node's output, a `reject(...)`, or throws (the item gets an error record). */
export type ItemHandler<TOutput extends NodeOutput = NodeOutput> = (
  input: NodeInput,
  context: ItemContext,
) => Promise<NodeResult<TOutput>> | NodeResult<TOutput>

/** One item arriving at an operator node. */
export interface Invocation {
  readonly input: NodeInput
  readonly context: ItemContext
}

/** What an operator node emits for an invocation: exactly one per invocation, matched by item id. */
export type InvocationOutcome =
  { readonly id: string; readonly result: NodeResult } | { readonly id: string; readonly error: unknown }

/** For nodes that work across items (batching, dedup, sampling): an RxJS operator over invocations. */
export type NodeOperator = (invocations$: Observable<Invocation>) => Observable<InvocationOutcome>

interface InstanceBase {
  /**
   * Everything besides `with:` that decides this node's outputs (prompt texts read from files, ...).
   * Part of the node's fingerprint: when it changes, resumed runs recompute the node.
   */
  identity?: unknown
  /** Called once when the run ends. */
  close?(): Promise<void> | void
}

export type NodeInstance<TOutput extends NodeOutput = NodeOutput> =
  | (InstanceBase & { process: ItemHandler<TOutput>; operator?: never })
  | (InstanceBase & { operator: NodeOperator; process?: never })

/** A graph node type, default-exported by a plugin package. Build it with {@link defineNode}. */
export interface NodeDefinition<TConfig = Record<string, unknown>, TOutput extends NodeOutput = NodeOutput> {
  readonly kind: 'node'
  /** The version of the plugin contract this node is written for: `1` (see SPEC_VERSION). */
  readonly specVersion: typeof SPEC_VERSION
  /** The package name users put in `uses:`. */
  readonly name: string
  readonly version?: string
  /** One sentence for `dataflow graph`, docs and errors. */
  readonly description: string
  /**
   * JSON Schema of `with:`, built with `field.object(...)` so that `TConfig` is inferred from it;
   * defaults are applied before `create` sees the config. Objects must be closed.
   */
  readonly config: ConfigField<TConfig>
  /** JSON Schema of the output object; `when` expressions and path fields are checked against it. */
  readonly writes: JsonSchema | ((config: TConfig) => JsonSchema)
  create(config: TConfig, context: NodeContext): NodeInstance<TOutput> | Promise<NodeInstance<TOutput>>
}

/**
 * Where reading continues after a record, as small plain JSON (e.g. `{ shard: 3, offset: 1048576 }`).
 * Given back to `read(after)` when a run resumes, so that a source can seek instead of reading
 * its input again from the start.
 */
export type SourcePosition = Record<string, unknown>

/** A record a source yields: an item, or an item that is already known to be broken. */
export type SourceRecord = (
  { id: string; data: ItemData; error?: never } | { id: string; error: DataflowError; data?: ItemData }
) & {
  /** Optional: the position right after this record (see {@link SourceInstance.read}). */
  position?: SourcePosition
  /**
   * Optional: which input file (shard) the record comes from, 0-based in reading order. A
   * distributed run (`--queue`) cuts one chunk per shard file of a source that sets it.
   */
  shard?: number
}

/** Which part of the input this process takes when several share a dataset (`--shard i/n`). */
export interface Shard {
  /** 0-based. */
  index: number
  count: number
}

export interface SourceContext extends IoContext {
  /** Set when the run is one of several shards; a source that honours it says so with `shards: true`. */
  readonly shard: Shard | undefined
}

export interface SourceInstance {
  /** Items that `read` will yield, when cheap to know (for progress and ETA). */
  count?(): Promise<number | undefined>
  /**
   * Pulled one record at a time: never read ahead more than asked. A source whose records carry
   * a `position` may be called with one of them when a run resumes (every record up to it is
   * finished): it then yields the records after that one, as if it had read up to there.
   */
  read(after?: SourcePosition): AsyncIterable<SourceRecord>
  /** A short string that changes when the input changes (file sizes, mtimes, paths); used to refuse a resume on other data. */
  fingerprint?(): Promise<string>
  close?(): Promise<void> | void
}

/** Where items come from. Default-exported by a source plugin. Build it with {@link defineSource}. */
export interface SourceDefinition<TConfig = Record<string, unknown>> {
  readonly kind: 'source'
  readonly specVersion: typeof SPEC_VERSION
  readonly name: string
  readonly version?: string
  readonly description: string
  readonly config: ConfigField<TConfig>
  /** JSON Schema of the item fields (the `item` scope). */
  readonly writes: JsonSchema | ((config: TConfig) => JsonSchema)
  /** True if the source selects its own shard; otherwise the core keeps every n-th item. */
  readonly shards?: boolean
  create(config: TConfig, context: SourceContext): SourceInstance | Promise<SourceInstance>
}

/** A finished item as a sink receives it: plain JSON, shaped by the sink's `select:`. */
export type SinkRecord = Record<string, unknown>

/**
 * A sink's position as plain JSON (e.g. `{ bytes: 4096, entries: 12 }`): enough for the sink to
 * come back to exactly this state when a run resumes.
 */
export type SinkCheckpoint = Record<string, unknown>

export interface SinkContext extends IoContext {
  /**
   * Set when a run resumes and this sink committed a checkpoint before: the value its
   * `checkpoint()` returned then. A sink that implements `checkpoint` must continue from exactly
   * that state (a file sink truncates the file back to that byte offset and appends); the engine
   * then writes again every record that came after it. Sinks without `checkpoint` never get it:
   * they are created fresh and receive every record of the run again.
   */
  readonly resumeFrom?: SinkCheckpoint
  /** The run's media tools, for sinks that copy media as received (`readMedia`). Absent in contexts made before it. */
  readonly media?: MediaTools
}

export interface SinkInstance {
  /** Called once per record, never concurrently; a returned promise is awaited (backpressure). */
  write(record: SinkRecord): Promise<void> | void
  /** Makes everything written so far durable. */
  flush?(): Promise<void> | void
  /**
   * Makes everything written so far durable (like `flush`) and returns the sink's position. The
   * engine commits it in the run journal together with the items written up to here, and on resume
   * passes it back as `context.resumeFrom`: so the sink holds every item exactly once even after
   * the process was killed mid-write. Called between writes, never concurrently with them.
   */
  checkpoint?(): Promise<SinkCheckpoint> | SinkCheckpoint
  close(): Promise<void> | void
  /**
   * The files this sink has written so far (earlier sessions' included), for `report.json` and
   * `dataflow merge`: outputs of several runs combine by listing them.
   */
  outputs?(): string[]
}

/** Where finished items go. Default-exported by a sink plugin. Build it with {@link defineSink}. */
export interface SinkDefinition<TConfig = Record<string, unknown>> {
  readonly kind: 'sink'
  readonly specVersion: typeof SPEC_VERSION
  readonly name: string
  readonly version?: string
  readonly description: string
  readonly config: ConfigField<TConfig>
  create(config: TConfig, context: SinkContext): SinkInstance | Promise<SinkInstance>
}

// `any`: a plugin of unknown config and output type, whose config is checked by its own schema at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PluginDefinition = NodeDefinition<any, any> | SourceDefinition<any> | SinkDefinition<any>
