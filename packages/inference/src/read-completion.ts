import type { TokenUsage } from '@dataflow/sdk'

/** A chat completion reduced to what dataflow uses. */
export interface Answer {
  text: string
  finishReason: string
  usage: TokenUsage
  servedModel: string
  /** The answer came from tools/inference-sim (a test double): it must never be cached. */
  simulated?: true
}

/** What tools/inference-sim puts in `system_fingerprint` of every response. */
export const SIMULATOR_FINGERPRINT = 'dataflow-sim'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)

/** Reads a parsed 2xx body as a chat completion; a string says why it is not one. */
export function toAnswer(completion: unknown, requestedModel: string): Answer | string {
  const choices: unknown = isRecord(completion) ? completion['choices'] : undefined
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined
  const message = isRecord(choice) ? choice['message'] : undefined
  if (!isRecord(completion) || !isRecord(choice) || !isRecord(message)) {
    const preview =
      typeof completion === 'string' ? completion.slice(0, 120) : JSON.stringify(completion)?.slice(0, 120)
    return `the server answered 2xx without a chat completion: ${preview}`
  }
  const content = message['content']
  if (content !== null && content !== undefined && typeof content !== 'string')
    return 'the chat completion message content is not a string'
  const usage = isRecord(completion['usage']) ? completion['usage'] : {}
  const answer: Answer = {
    text: content ?? '',
    finishReason: typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : 'unknown',
    usage: { promptTokens: count(usage['prompt_tokens']), completionTokens: count(usage['completion_tokens']) },
    servedModel: typeof completion['model'] === 'string' ? completion['model'] : requestedModel,
  }
  if (completion['system_fingerprint'] === SIMULATOR_FINGERPRINT) answer.simulated = true
  return answer
}
