import { Ajv } from 'ajv'
import { DataflowError } from '../errors.js'
import type { ChatRequest, ChatResult, InferenceClient, JsonChatRequest, JsonChatResult } from '../inference.js'

/** Answers a request in a unit test: a string, or any JSON value for `chatJson`. */
export type FakeResponder = (request: ChatRequest) => unknown

export interface FakeInference extends InferenceClient {
  /** Every request received, in order. */
  readonly requests: ChatRequest[]
}

/**
 * An in-memory InferenceClient for unit tests of node logic. It does no HTTP, no retries and
 * no re-asks: use the simulator (tools/inference-sim) for end-to-end behaviour.
 */
export function createFakeInference(
  responder: FakeResponder,
  models: readonly string[] = ['vlm', 'llm'],
): FakeInference {
  const requests: ChatRequest[] = []
  const ajv = new Ajv({ allErrors: true, strict: false })
  const answer = async (request: ChatRequest): Promise<ChatResult> => {
    requests.push(request)
    const value = await responder(request)
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    return {
      text,
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: 0 },
      servedModel: request.model,
      latencyMs: 0,
      attempts: 1,
      cached: false,
    }
  }
  return {
    requests,
    hasModel: (name) => models.includes(name),
    chat: (request) => answer(request),
    async chatJson<T>(request: JsonChatRequest): Promise<JsonChatResult<T>> {
      const result = await answer(request)
      let value: unknown
      try {
        value = JSON.parse(result.text)
      } catch {
        throw new DataflowError('DATAFLOW_OUTPUT_INVALID', 'answer is not JSON', { details: { raw: result.text } })
      }
      const validate = ajv.compile(request.schema)
      if (!validate(value)) {
        throw new DataflowError(
          'DATAFLOW_OUTPUT_INVALID',
          `answer does not match ${request.schemaName}: ${ajv.errorsText(validate.errors)}`,
          { details: { raw: result.text } },
        )
      }
      return { ...result, value: value as T, reasked: false }
    },
  }
}
