import type { JsonSchema } from '@dataflow/sdk'
import { readPath } from '@dataflow/sdk'
import type { Reporter } from './create-reporter.js'
import { findMarkedFields } from './find-marked-fields.js'
import { closest, listOf } from './suggest.js'
import type { DocumentPath } from './yaml-position.js'

/**
 * Reports every `x-dataflow-model` field of a plugin's config that names a model not declared
 * under `models:`. `written` is `with:` as in the file, to tell defaults from written values.
 */
export function checkModels(
  schema: JsonSchema,
  config: Record<string, unknown>,
  written: unknown,
  path: DocumentPath,
  models: readonly string[],
  reporter: Reporter,
): void {
  for (const field of findMarkedFields(schema, config, 'x-dataflow-model')) {
    if (typeof field.value !== 'string' || models.includes(field.value)) continue
    const fromDefault = readPath(written, field.path.map(String)) === undefined
    const suggestion = closest(field.value, models)
    reporter.report(
      'DATAFLOW_MODEL_UNKNOWN',
      [...path, 'with', ...field.path],
      `model "${field.value}"${fromDefault ? ' (the default)' : ''} is not declared under models:`,
      {
        hint:
          suggestion !== undefined
            ? `did you mean "${suggestion}"?`
            : models.length === 0
              ? 'declare it under models: (name, baseURL, model)'
              : `declared models: ${listOf([...models])}; declare it under models: or use one of these`,
      },
    )
  }
}
