import type { OpenAI } from 'openai'
import type { TokenUsage } from '@dataflow/sdk'
import type { ChatBody } from './chat-body.js'
import { classifyFailure, MalformedResponseError, type Failure } from './classify-failure.js'
import type { Timers } from './timers.js'

/** A chat completion reduced to what dataflow uses. */
export interface Answer {
  text: string
  finishReason: string
  usage: TokenUsage
  servedModel: string
}

export type AttemptResult = { ok: true; answer: Answer } | { ok: false; failure: Failure }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** Checks that a 2xx body is a chat completion and reads it. */
export function toAnswer(completion: unknown, requestedModel: string): Answer {
  const choice = isRecord(completion) && Array.isArray(completion['choices']) ? completion['choices'][0] : undefined
  const message = isRecord(choice) ? choice['message'] : undefined
  if (!isRecord(completion) || !isRecord(message)) {
    const preview = typeof completion === 'string' ? completion.slice(0, 120) : JSON.stringify(completion)?.slice(0, 120)
    throw new MalformedResponseError(`the server answered 2xx without a chat completion: ${preview}`)
  }
  const content = message['content']
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new MalformedResponseError('the chat completion message content is not a string')
  }
  const usage = isRecord(completion['usage']) ? completion['usage'] : {}
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)
  return {
    text: content ?? '',
    finishReason: typeof choice!['finish_reason'] === 'string' ? choice!['finish_reason'] : 'unknown',
    usage: { promptTokens: count(usage['prompt_tokens']), completionTokens: count(usage['completion_tokens']) },
    servedModel: typeof completion['model'] === 'string' ? completion['model'] : requestedModel,
  }
}

/**
 * Sends one HTTP attempt with its own timeout. The caller's `signal` aborts it at once.
 * Never throws for request failures: they come back classified.
 */
export async function runAttempt(
  client: OpenAI,
  body: ChatBody,
  options: { signal: AbortSignal | undefined; timeoutMs: number; timers: Timers },
): Promise<AttemptResult> {
  const state = { timedOut: false, cancelled: false }
  if (options.signal?.aborted) return { ok: false, failure: classifyFailure(undefined, { timedOut: false, cancelled: true }) }
  const controller = new AbortController()
  const onAbort = () => {
    state.cancelled = true
    controller.abort()
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const timer = options.timers.setTimeout(() => {
    state.timedOut = true
    controller.abort()
  }, options.timeoutMs)
  try {
    const completion: unknown = await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
      signal: controller.signal,
      maxRetries: 0,
      // Our timer (above) decides; the client's own timeout only has to stay out of the way.
      timeout: options.timeoutMs + 60_000,
    })
    return { ok: true, answer: toAnswer(completion, body.model) }
  } catch (error) {
    return { ok: false, failure: classifyFailure(error, state) }
  } finally {
    options.timers.clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}
