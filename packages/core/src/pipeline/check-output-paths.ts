import { isAbsolute, normalize } from 'node:path'
import type { JsonSchema } from '@dataflow/sdk'
import type { Reporter } from './create-reporter.js'
import { findMarkedFields } from './find-marked-fields.js'
import type { DocumentPath } from './yaml-position.js'

/** Says what to do when a relative output path climbs out of the run directory. */
export const OUTPUT_PATH_HINT =
  'relative output paths land in the run directory and must stay inside it; write an absolute path to put the file elsewhere'

/** True when a relative output path leaves the run directory once resolved (`../x`, `a/../../x`); absolute paths never do. */
export function climbsOutOfRunDir(path: string): boolean {
  if (isAbsolute(path)) return false
  const normal = normalize(path)
  return normal === '..' || normal.startsWith('../')
}

/** Reports every `x-dataflow-output` field of a plugin's config whose relative path climbs out of the run directory. */
export function checkOutputPaths(
  schema: JsonSchema,
  config: Record<string, unknown>,
  path: DocumentPath,
  reporter: Reporter,
): void {
  for (const field of findMarkedFields(schema, config, 'x-dataflow-output')) {
    if (typeof field.value !== 'string' || !climbsOutOfRunDir(field.value)) continue
    reporter.report(
      'DATAFLOW_CONFIG_INVALID',
      [...path, 'with', ...field.path],
      `output path "${field.value}" climbs out of the run directory`,
      { hint: OUTPUT_PATH_HINT },
    )
  }
}
