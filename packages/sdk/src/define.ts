import type { NodeDefinition, SinkDefinition, SourceDefinition } from './node-definition.js'
import type { NodeOutput } from './result.js'

type Definable<T> = Omit<T, 'kind'>

/** Declares a graph node type; the identity function that gives it its type and kind. */
export function defineNode<TConfig = Record<string, unknown>, TOutput extends NodeOutput = NodeOutput>(
  definition: Definable<NodeDefinition<TConfig, TOutput>>,
): NodeDefinition<TConfig, TOutput> {
  return { ...definition, kind: 'node' }
}

/** Declares a source of items. */
export function defineSource<TConfig = Record<string, unknown>>(
  definition: Definable<SourceDefinition<TConfig>>,
): SourceDefinition<TConfig> {
  return { ...definition, kind: 'source' }
}

/** Declares a sink for finished items. */
export function defineSink<TConfig = Record<string, unknown>>(
  definition: Definable<SinkDefinition<TConfig>>,
): SinkDefinition<TConfig> {
  return { ...definition, kind: 'sink' }
}

/** True for a value made with defineNode, defineSource or defineSink. */
export function isPluginDefinition(value: unknown): value is NodeDefinition | SourceDefinition | SinkDefinition {
  if (typeof value !== 'object' || value === null) return false
  const kind = (value as { kind?: unknown }).kind
  return (
    (kind === 'node' || kind === 'source' || kind === 'sink') &&
    typeof (value as { create?: unknown }).create === 'function'
  )
}
