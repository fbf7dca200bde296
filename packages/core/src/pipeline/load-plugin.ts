import {
  findOpenObjects,
  isDataflowError,
  isPluginDefinition,
  SPEC_VERSION,
  SUPPORTED_SPEC_VERSIONS,
  validateConfig,
  type JsonSchema,
  type NodeDefinition,
  type SinkDefinition,
  type SourceDefinition,
} from '@dataflow/sdk'
import type { Reporter } from './create-reporter.js'
import type { ResolvedPlugin } from './loaded-pipeline.js'
import { resolvePlugin, type PluginModule, type ResolvePluginOptions } from './resolve-plugin.js'
import { reportSchemaErrors } from './schema-diagnostics.js'
import type { DocumentPath } from './yaml-position.js'

export type PluginKind = 'node' | 'source' | 'sink'
type DefinitionOf<K extends PluginKind> = K extends 'node'
  ? NodeDefinition
  : K extends 'source'
    ? SourceDefinition
    : SinkDefinition

/** Where a plugin is used in the file: `source`, `nodes.<id>` or `sinks.<id>`. */
export interface PluginSite<K extends PluginKind> {
  kind: K
  path: DocumentPath
  /** The entry after interpolation and `--set` (unchecked). */
  entry: Record<string, unknown>
}

/** A loaded plugin; `valid` is false when its `with:` has problems (already reported). */
export interface LoadedPlugin<K extends PluginKind> {
  plugin: ResolvedPlugin<DefinitionOf<K>>
  valid: boolean
}

const DEFINE: Readonly<Record<PluginKind, string>> = { node: 'defineNode', source: 'defineSource', sink: 'defineSink' }

/**
 * Resolves the plugin named by `uses`, checks its kind and validates `with:` against its config
 * schema (defaults applied). Reports problems and returns undefined when the plugin is unusable.
 * `cache` shares one import per `uses` string.
 */
export async function loadPlugin<K extends PluginKind>(
  site: PluginSite<K>,
  reporter: Reporter,
  options: ResolvePluginOptions,
  cache: Map<string, Promise<PluginModule>>,
): Promise<LoadedPlugin<K> | undefined> {
  const uses = site.entry['uses']
  if (typeof uses !== 'string') return undefined
  const usesPath = [...site.path, 'uses']
  let found: PluginModule
  try {
    let pending = cache.get(uses)
    if (pending === undefined) {
      pending = resolvePlugin(uses, options)
      cache.set(uses, pending)
    }
    found = await pending
  } catch (error) {
    if (!isDataflowError(error)) throw error
    reporter.report(error.code, usesPath, error.message, { hint: error.hint })
    return undefined
  }
  const definition = found.exported
  if (!isPluginDefinition(definition)) {
    reporter.report(
      'DATAFLOW_PLUGIN_INVALID',
      usesPath,
      `"${uses}" does not default-export a plugin made with ${DEFINE[site.kind]}`,
      {
        hint: `the module must \`export default ${DEFINE[site.kind]}({ specVersion: ${SPEC_VERSION}, ... })\` from @dataflow/sdk`,
      },
    )
    return undefined
  }
  if (definition.kind !== site.kind) {
    const place = site.kind === 'node' ? 'nodes' : site.kind === 'source' ? 'source' : 'sinks'
    reporter.report(
      'DATAFLOW_PLUGIN_INVALID',
      usesPath,
      `"${uses}" is a ${definition.kind}, but ${place} takes a ${site.kind}`,
      {
        hint: `move it under ${definition.kind === 'node' ? 'nodes' : definition.kind === 'source' ? 'source' : 'sinks'}, or use a ${site.kind} plugin here`,
      },
    )
    return undefined
  }
  const contract = checkContract(definition)
  if (contract !== undefined) {
    reporter.report('DATAFLOW_PLUGIN_INVALID', usesPath, `"${uses}" ${contract.message}`, { hint: contract.hint })
    return undefined
  }
  const settings = site.entry['with']
  if (settings !== undefined && (typeof settings !== 'object' || settings === null || Array.isArray(settings)))
    return undefined
  const validation = validateConfig(definition.config, settings)
  if ('schemaError' in validation) {
    reporter.report(
      'DATAFLOW_PLUGIN_INVALID',
      usesPath,
      `the config schema of "${uses}" is not a valid JSON Schema: ${validation.schemaError}`,
      {
        hint: "fix the plugin's `config` schema",
      },
    )
    return undefined
  }
  if (!validation.ok) reportSchemaErrors(reporter, validation.errors, [...site.path, 'with'])
  return {
    valid: validation.ok,
    plugin: {
      uses,
      modulePath: found.modulePath,
      version: found.version ?? definition.version,
      definition: definition as DefinitionOf<K>,
      config: validation.config,
      position: reporter.positionOf(site.path, 'key'),
    },
  }
}

/**
 * What is wrong with a definition's contract: a spec version this engine does not implement, or a
 * config schema that accepts unknown keys (a typo in `with:` would pass silently).
 */
function checkContract(definition: {
  specVersion?: unknown
  config: JsonSchema
}): { message: string; hint: string } | undefined {
  const version = definition.specVersion
  if (version === undefined) {
    return {
      message: 'does not say which plugin contract it implements (no specVersion)',
      hint: `add \`specVersion: ${SPEC_VERSION}\` to its definition (the contract of this engine's @dataflow/sdk)`,
    }
  }
  if (!SUPPORTED_SPEC_VERSIONS.includes(version as number)) {
    const newer = typeof version === 'number' && version > Math.max(...SUPPORTED_SPEC_VERSIONS)
    return {
      message: `is written for plugin contract version ${JSON.stringify(version)}; this engine implements ${SUPPORTED_SPEC_VERSIONS.join(', ')}`,
      hint: newer
        ? 'upgrade dataflow (the CLI), or use a version of the plugin made for this one'
        : `upgrade the plugin to a version made for contract ${SPEC_VERSION}`,
    }
  }
  const open = findOpenObjects(definition.config)
  if (open.length > 0) {
    return {
      message: `has a config schema that accepts unknown keys at ${open.join(', ')}`,
      hint: 'build the schema with field.object(...) from @dataflow/sdk, or set `additionalProperties: false` there, so that typos in `with:` are reported',
    }
  }
  return undefined
}

/**
 * What a node or source writes with this config (`writes` may be a function of it); undefined
 * (and reported) when the function throws.
 */
export function writesOf(
  plugin: ResolvedPlugin<NodeDefinition | SourceDefinition>,
  path: DocumentPath,
  reporter: Reporter,
): JsonSchema | undefined {
  const writes = plugin.definition.writes
  if (typeof writes !== 'function') return writes
  try {
    return writes(plugin.config)
  } catch (error) {
    reporter.report(
      'DATAFLOW_PLUGIN_INVALID',
      [...path, 'uses'],
      `"${plugin.uses}" failed to describe what it writes: ${(error as Error).message}`,
      {
        hint: 'its `writes(config)` function threw: fix the plugin, or check its settings',
      },
    )
    return undefined
  }
}
