import type { ModelConfig } from '@dataflow/inference'
import type { JsonSchema, NodeDefinition, SinkDefinition, SourceDefinition } from '@dataflow/sdk'
import type { CompiledExpression } from '../expression/compiled-expression.js'

/** A position in the pipeline file (1-based line and column). */
export interface SourcePosition {
  file: string
  line: number
  column: number
}

/** A plugin resolved and its `with:` validated, defaults applied. */
export interface ResolvedPlugin<TDefinition> {
  uses: string
  /** Absolute path of the module that was imported. */
  modulePath: string
  /** The package version, when the module belongs to a package. */
  version: string | undefined
  definition: TDefinition
  config: Record<string, unknown>
  position: SourcePosition
}

export interface LoadedNode extends ResolvedPlugin<NodeDefinition> {
  id: string
  needs: string[]
  when: CompiledExpression | undefined
  onError: 'fail' | 'continue'
  retry: { attempts: number; backoffMs: number }
  /** What the node writes, with config applied. */
  writes: JsonSchema
  /** 0 for nodes without needs; 1 + max depth of needs otherwise. Deeper nodes get pool priority. */
  depth: number
}

export interface LoadedSink extends ResolvedPlugin<SinkDefinition> {
  id: string
  when: CompiledExpression
  /** Output field -> compiled path; undefined means the default record. */
  select: Record<string, CompiledExpression> | undefined
}

/** A pipeline file after interpolation, overrides, validation and plugin resolution: ready to run. */
export interface LoadedPipeline {
  /** Absolute path of the pipeline file. */
  file: string
  /** Folder of the file: relative paths in settings resolve against it. */
  dir: string
  name: string
  description: string | undefined
  models: Record<string, ModelConfig>
  source: ResolvedPlugin<SourceDefinition> & { writes: JsonSchema }
  /** Topologically sorted: every node comes after all of its needs. */
  nodes: LoadedNode[]
  sinks: LoadedSink[]
  run: { window: number; maxErrorRate: number }
  /** The effective document after interpolation and `--set`, with defaults applied (no secrets: keys are only env var names). */
  document: Record<string, unknown>
}
