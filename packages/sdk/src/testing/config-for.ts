import type { ConfigField } from '../config/config-field.js'
import { findOpenObjects } from '../config/find-open-objects.js'
import { validateConfig } from '../config/validate-config.js'
import { DataflowError } from '../errors.js'

/**
 * The config `create` receives for these `with:` settings: validated and with the schema's
 * defaults applied, exactly as the engine does (same ajv setup; open schemas refused). Throws
 * DATAFLOW_CONFIG_INVALID, naming each problem, for settings the engine would refuse.
 */
export function configFor<T>(
  definition: { readonly name: string; readonly config: ConfigField<T> },
  settings: Record<string, unknown> = {},
): T {
  const open = findOpenObjects(definition.config)
  if (open.length > 0) {
    throw new DataflowError(
      'DATAFLOW_PLUGIN_INVALID',
      `the config schema of ${definition.name} accepts unknown keys at ${open.join(', ')}`,
      { hint: 'build it with field.object(...) or set additionalProperties: false' },
    )
  }
  const validation = validateConfig(definition.config, settings)
  if ('schemaError' in validation) {
    throw new DataflowError(
      'DATAFLOW_PLUGIN_INVALID',
      `the config schema of ${definition.name} is not valid: ${validation.schemaError}`,
    )
  }
  if (!validation.ok) {
    const problems = validation.errors.map(
      (error) =>
        `with${error.instancePath.replaceAll('/', '.')} ${error.message ?? 'is not valid'}${error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : ''}`,
    )
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `invalid config for ${definition.name}: ${problems.join('; ')}`)
  }
  return validation.config as T
}
