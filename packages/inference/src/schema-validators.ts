import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { DataflowError, type JsonSchema } from '@dataflow/sdk'

/** Compiles each response schema once (by identity, then by content) and validates answers on our side. */
export interface SchemaValidators {
  /** Undefined when valid, else a readable list of the first problems. */
  check(schema: JsonSchema, value: unknown): string | undefined
}

export function createSchemaValidators(): SchemaValidators {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false })
  const byObject = new WeakMap<object, ValidateFunction>()
  const byText = new Map<string, ValidateFunction>()
  const compile = (schema: JsonSchema): ValidateFunction => {
    const known = byObject.get(schema)
    if (known) return known
    const text = JSON.stringify(schema)
    let validate = byText.get(text)
    if (!validate) {
      try {
        validate = ajv.compile(schema)
      } catch (error) {
        throw new DataflowError(
          'DATAFLOW_NODE_FAILED',
          `the response schema does not compile: ${(error as Error).message}`,
          { cause: error },
        )
      }
      byText.set(text, validate)
    }
    byObject.set(schema, validate)
    return validate
  }
  return {
    check(schema, value) {
      const validate = compile(schema)
      if (validate(value)) return undefined
      return ajv.errorsText(validate.errors?.slice(0, 5), { dataVar: 'answer' })
    },
  }
}
