import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv'

/** The official OpenAI schema, in `shared/` beside the repository (as in the CI checkout). */
export const CONTRACT_PATH = fileURLToPath(
  new URL('../../../../../shared/contracts/openai-chat-completions.schema.json', import.meta.url),
)

const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false })
ajv.addSchema(JSON.parse(readFileSync(CONTRACT_PATH, 'utf8')) as object, 'openai')

function get(ref: string): ValidateFunction {
  const validate = ajv.getSchema(`openai#/$defs/${ref}`)
  if (validate === undefined) throw new Error(`${ref} is missing from ${CONTRACT_PATH}`)
  return validate
}

export const validateRequest = get('CreateChatCompletionRequest')
export const validateResponse = get('CreateChatCompletionResponse')
export const validateChunk = get('CreateChatCompletionStreamResponse')

/** Throws with ajv's errors when `value` does not match. */
export function assertValid(validate: ValidateFunction, value: unknown, what: string): void {
  if (!validate(value))
    throw new Error(
      `${what} does not match the OpenAI schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 2000)}`,
    )
}

/** A fresh ajv for checking produced JSON against a requested schema. */
export function compileSchema(schema: object): ValidateFunction {
  return new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false }).compile(schema)
}
