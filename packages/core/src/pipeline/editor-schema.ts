import type { JsonSchema, PluginDefinition } from '@dataflow/sdk'

/** A plugin as the editor schema knows it: the `uses:` text and the definition it names. */
export interface EditorPlugin {
  uses: string
  definition: Pick<PluginDefinition, 'kind' | 'description' | 'config'>
}

const SITES = { source: 'PluginUse', node: 'NodeSpec', sink: 'SinkSpec' } as const

/**
 * The pipeline JSON Schema for editors with each plugin's `with:` schema attached to its `uses:`
 * value (draft-07 `if`/`then`), so that an editor completes plugin settings and flags unknown keys
 * and wrong values, and offers the known `uses:` values. Plugins of each kind attach only where
 * that kind goes (sources under `source`, nodes under `nodes`, sinks under `sinks`).
 */
export function buildEditorSchema(pipelineSchema: JsonSchema, plugins: readonly EditorPlugin[]): JsonSchema {
  const { $id: _id, ...base } = pipelineSchema
  const schema = structuredClone(base) as JsonSchema & { definitions: Record<string, JsonSchema> }
  for (const [kind, name] of Object.entries(SITES)) {
    const site = schema.definitions[name]
    if (site === undefined) throw new Error(`the pipeline schema has no definition ${name}`)
    const own = plugins.filter((plugin) => plugin.definition.kind === kind)
    if (own.length === 0) continue
    const uses = site.properties?.['uses'] ?? {}
    site.properties = {
      ...site.properties,
      uses: { ...uses, examples: own.map((plugin) => plugin.uses) },
    }
    site.allOf = own.map((plugin) => ({
      if: { properties: { uses: { const: plugin.uses } }, required: ['uses'] },
      then: {
        properties: {
          with: {
            ...withoutRoot(plugin.definition.config),
            description: `Settings of ${plugin.uses}: ${plugin.definition.description}`,
          },
        },
      },
    }))
  }
  schema.$comment =
    `${typeof schema.$comment === 'string' ? schema.$comment : ''} Plugin settings of: ${plugins.map((plugin) => plugin.uses).join(', ')} (written by \`dataflow schema\`).`.trim()
  return schema
}

/** The config schema as an editor should see it: without `$schema`/`$id` that would re-root it. */
function withoutRoot(config: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = config as JsonSchema & { $schema?: unknown; $id?: unknown }
  return rest
}
