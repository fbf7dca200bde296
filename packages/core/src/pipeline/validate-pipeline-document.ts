import { Ajv, type ValidateFunction } from 'ajv'
import ajvFormats from 'ajv-formats'
import type { Reporter } from './create-reporter.js'
import { readPipelineSchema } from './pipeline-schema.js'
import { reportSchemaErrors } from './schema-diagnostics.js'

let validate: ValidateFunction | undefined

/**
 * Validates the whole (interpolated, overridden) document against the pipeline schema and
 * applies its defaults in place. Reports every problem; returns true when there was none.
 */
export function validatePipelineDocument(data: unknown, reporter: Reporter): boolean {
  if (validate === undefined) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false })
    ajvFormats.default(ajv)
    validate = ajv.compile(readPipelineSchema())
  }
  if (validate(data)) return true
  reportSchemaErrors(reporter, validate.errors ?? [], [])
  return false
}
