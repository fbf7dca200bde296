import type { ModelConfig } from '@dataflow/inference'

/**
 * A dataflow pipeline file, version 1 (YAML). The JSON Schema shipped as
 * `@dataflow/core/pipeline.schema.json` is generated from these types: edit them, not the schema.
 *
 * Strings may use `${VAR}` and `${VAR:-default}`, read from the environment when the file is loaded.
 */
export interface PipelineFile {
  /** Format version of this file. */
  version: 1
  /**
   * Pipeline name; the default run directory is `runs/<name>-<timestamp>`.
   * @pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$
   */
  name: string
  /** What the pipeline does, for `dataflow graph` and reports. */
  description?: string
  /**
   * Named model endpoints (OpenAI-compatible), shared by all nodes: one admission pool per endpoint.
   * Nodes name them in their model settings (e.g. `with: { model: vlm }`).
   */
  models?: Record<string, ModelConfig>
  /** Where items come from. */
  source: PluginUse
  /** The graph: node id -> node. Ids are referenced by `needs`, `when` and path fields. */
  nodes: Record<string, NodeSpec>
  /**
   * Where finished items go: sink id -> sink. Every sink sees every finished item and keeps
   * those its `when` accepts (by default the items that ended `ok`).
   * @minProperties 1
   */
  sinks: Record<string, SinkSpec>
  /** Execution settings. */
  run?: RunSettings
}

/** A plugin package and its settings. */
export interface PluginUse {
  /** npm package name (e.g. `@dataflow/plugin-router`) or a path to a local module (`./my-node.js`). */
  uses: string
  /** The plugin's own settings, checked against the plugin's config schema (see its README); its defaults are applied. */
  with?: Record<string, unknown>
}

export interface NodeSpec extends PluginUse {
  /** Node ids that must finish (or be skipped) before this one runs; the node may read their outputs (and their needs' outputs). */
  needs?: string[]
  /**
   * Expression over `item.*` and upstream outputs, e.g. `route.domain in ['document', 'ui']`;
   * the node is skipped for items where it is false (a skipped node counts as done for its dependents).
   */
  when?: string
  /**
   * What an error in this node does to the item: `fail` ends the item as an error record;
   * `continue` marks the node failed and lets dependents run without it.
   * @default "fail"
   */
  onError?: 'fail' | 'continue'
  /** Node-level retries for retryable errors (inference calls are also retried inside the pool). */
  retry?: RetrySettings
}

export interface RetrySettings {
  /**
   * Total attempts, including the first.
   * @asType integer
   * @minimum 1
   * @default 1
   */
  attempts?: number
  /**
   * Delay before the second attempt, doubled each time, in milliseconds.
   * @minimum 0
   * @default 1000
   */
  backoffMs?: number
}

export interface SinkSpec extends PluginUse {
  /**
   * Which finished items this sink receives. Scope: `outcome` ('ok' | 'rejected' | 'error'),
   * `reason`, `item.*` and node outputs.
   * @default "outcome == 'ok'"
   */
  when?: string
  /**
   * The record written: output field -> path (`item.id`, `summary.caption`, `outcome`, `reason`, `error`).
   * Without it the record is `{ id, outcome, item, outputs, reason?, error? }`.
   */
  select?: Record<string, string>
}

export interface RunSettings {
  /**
   * Most items in flight at once; bounds memory whatever the dataset size.
   * @asType integer
   * @minimum 1
   * @default 256
   */
  window?: number
  /**
   * The run exits with code 1 when the share of items ending as errors is above this.
   * @minimum 0
   * @maximum 1
   * @default 0.05
   */
  maxErrorRate?: number
}
