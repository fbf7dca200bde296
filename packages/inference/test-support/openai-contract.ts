import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv'

/** <repo>/../shared/contracts/, found from this file (packages/inference/test-support). */
const contractsUrl = new URL('../../../../shared/contracts/', import.meta.url)

let validateRequest: ValidateFunction | undefined

/** Validates a request body against the official CreateChatCompletionRequest schema; returns the errors text or undefined. */
export function checkChatRequest(body: unknown): string | undefined {
  if (!validateRequest) {
    const schema = JSON.parse(
      readFileSync(new URL('openai-chat-completions.schema.json', contractsUrl), 'utf8'),
    ) as object
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    ajv.addSchema(schema, 'openai')
    validateRequest = ajv.getSchema('openai#/$defs/CreateChatCompletionRequest')!
  }
  return validateRequest(body) ? undefined : JSON.stringify(validateRequest.errors?.slice(0, 5))
}
