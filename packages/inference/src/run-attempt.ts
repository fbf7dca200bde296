import { APIConnectionTimeoutError, type OpenAI } from 'openai'
import type { TokenUsage } from '@dataflow/sdk'
import type { ChatBody } from './chat-body.js'
import { classifyFailure, MalformedResponseError, type Failure } from './classify-failure.js'

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

export type AttemptResult = { ok: true; answer: Answer } | { ok: false; failure: Failure }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** Checks that a 2xx body is a chat completion and reads it. */
export function toAnswer(completion: unknown, requestedModel: string): Answer {
  const choices: unknown = isRecord(completion) ? completion['choices'] : undefined
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined
  const message = isRecord(choice) ? choice['message'] : undefined
  if (!isRecord(completion) || !isRecord(message)) {
    const preview =
      typeof completion === 'string' ? completion.slice(0, 120) : JSON.stringify(completion)?.slice(0, 120)
    throw new MalformedResponseError(`the server answered 2xx without a chat completion: ${preview}`)
  }
  const content = message['content']
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new MalformedResponseError('the chat completion message content is not a string')
  }
  const usage = isRecord(completion['usage']) ? completion['usage'] : {}
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)
  const answer: Answer = {
    text: content ?? '',
    finishReason: isRecord(choice) && typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : 'unknown',
    usage: { promptTokens: count(usage['prompt_tokens']), completionTokens: count(usage['completion_tokens']) },
    servedModel: typeof completion['model'] === 'string' ? completion['model'] : requestedModel,
  }
  if (completion['system_fingerprint'] === SIMULATOR_FINGERPRINT) answer.simulated = true
  return answer
}

/** The body of a 2xx answer as the openai client would parse it: JSON by content type, else text. */
async function readCompletion(response: Response): Promise<unknown> {
  if (response.status === 204) return null
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim()
  if (mediaType?.includes('application/json') || mediaType?.endsWith('+json')) {
    return response.headers.get('content-length') === '0' ? undefined : response.json()
  }
  return response.text()
}

export interface AttemptOptions {
  /** The caller's signal: aborts the attempt at once. */
  signal: AbortSignal | undefined
  timeoutMs: number
  /** Aborted when the service closes (its endpoints then end every request in flight). */
  closed: AbortSignal
  /** Aborts the attempt as timed out (an adaptive timeout set after it was sent). */
  expire?: AbortSignal | undefined
}

/**
 * Sends one HTTP attempt. The openai client enforces the timeout (`APIConnectionTimeoutError`);
 * the caller's signal aborts the attempt at once; a closing service ends it through its
 * endpoint's fetch. Never throws for request failures: they come back classified.
 */
export async function runAttempt(client: OpenAI, body: ChatBody, options: AttemptOptions): Promise<AttemptResult> {
  const { signal, closed, expire } = options
  if (signal?.aborted || closed.aborted) return { ok: false, failure: classifyFailure(undefined, { cancelled: true }) }
  // The client never removes the listener it puts on the signal it is given: it gets a signal
  // that lives as long as this attempt, not the caller's (which may serve a whole run).
  const controller = signal || expire ? new AbortController() : undefined
  const onAbort = () => controller!.abort()
  signal?.addEventListener('abort', onAbort, { once: true })
  expire?.addEventListener('abort', onAbort, { once: true })
  try {
    // The raw response: the client still builds, sends and checks the request (errors for non-2xx
    // statuses included); reading the body ourselves skips its generic parse and logging steps.
    const response = await client.chat.completions
      .create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
        signal: controller?.signal,
        maxRetries: 0,
        timeout: options.timeoutMs,
      })
      .asResponse()
    return { ok: true, answer: toAnswer(await readCompletion(response), body.model) }
  } catch (error) {
    const cancelled = signal?.aborted === true || closed.aborted
    if (!cancelled && expire?.aborted)
      return { ok: false, failure: classifyFailure(new APIConnectionTimeoutError(), { cancelled }) }
    return { ok: false, failure: classifyFailure(error, { cancelled }) }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    expire?.removeEventListener('abort', onAbort)
  }
}
