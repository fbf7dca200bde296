import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import ajvFormats from 'ajv-formats'
import type { JsonSchema } from '../json-schema.js'

export type ConfigValidation =
  | { ok: true; config: Record<string, unknown> }
  | { ok: false; config: Record<string, unknown>; errors: ErrorObject[] }
  | { ok: false; schemaError: string }

let ajv: Ajv2020 | undefined
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

function getAjv(): Ajv2020 {
  if (ajv === undefined) {
    ajv = new Ajv2020({ allErrors: true, useDefaults: true, verbose: true, strict: false })
    ajvFormats.default(ajv)
    ajv.addKeyword({ keyword: 'x-dataflow-path', schemaType: 'boolean' })
    ajv.addKeyword({ keyword: 'x-dataflow-model', schemaType: 'boolean' })
    ajv.addKeyword({ keyword: 'x-dataflow-output', schemaType: 'boolean' })
    ajv.addKeyword({ keyword: 'x-dataflow-expression', schemaType: 'boolean' })
    ajv.addKeyword({ keyword: 'x-dataflow-template', schemaType: 'boolean' })
  }
  return ajv
}

/**
 * Validates a plugin's `with:` against its config schema (JSON Schema 2020-12), on a copy with
 * the schema's defaults applied: the one check the engine and the SDK test harness share.
 * `schemaError` means the plugin's own schema does not compile.
 */
export function validateConfig(schema: JsonSchema, settings: unknown): ConfigValidation {
  let validate = compiled.get(schema)
  if (validate === undefined) {
    try {
      validate = getAjv().compile(schema)
    } catch (error) {
      return { ok: false, schemaError: (error as Error).message }
    }
    compiled.set(schema, validate)
  }
  const config = structuredClone(settings ?? {}) as Record<string, unknown>
  if (validate(config)) return { ok: true, config }
  return { ok: false, config, errors: [...(validate.errors ?? [])] }
}
