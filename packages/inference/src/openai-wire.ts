import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAI } from 'openai'
import {
  cancelledFailure,
  connectionFailure,
  malformedFailure,
  statusFailure,
  timeoutFailure,
  type Failure,
} from './attempt-failure.js'
import type { AttemptOptions, AttemptResult, HttpWire, TextAnswer } from './http-wire.js'
import { toAnswer } from './read-completion.js'

/**
 * MEASUREMENT ONLY (decision 0012): the `openai` package used plainly, as the other candidate for
 * the inference wire: its own fetch, parsing and error classes (mapped straight to the SDK's
 * codes), its retries off (ours stay). Selected with the service option `wire: 'openai'`.
 */
export function createOpenAIWire(baseURL: string): HttpWire {
  const clients = new Map<string, OpenAI>()
  const closing = new AbortController()
  const clientFor = (apiKey: string) => {
    let client = clients.get(apiKey)
    if (!client) {
      client = new OpenAI({ baseURL, apiKey, organization: null, project: null, maxRetries: 0, logLevel: 'off' })
      clients.set(apiKey, client)
    }
    return client
  }
  const toFailure = (error: unknown, timeoutMs: number): Failure => {
    if (error instanceof APIConnectionTimeoutError) return timeoutFailure(timeoutMs)
    if (error instanceof APIUserAbortError) return cancelledFailure()
    if (error instanceof APIConnectionError)
      return connectionFailure(error.cause instanceof Error ? error.cause : error, false)
    if (error instanceof APIError && typeof error.status === 'number')
      return statusFailure(error.status, error.headers ?? new Headers(), JSON.stringify({ error: error.error }))
    return malformedFailure(`the server sent no chat completion: ${(error as Error).message}`)
  }
  return {
    async chat(apiKey, body, options: AttemptOptions): Promise<AttemptResult> {
      const expire = options.expire
      const signal = AbortSignal.any([options.signal, closing.signal, expire].filter((one) => one !== undefined))
      if (signal.aborted) return { ok: false, failure: cancelledFailure() }
      try {
        const completion = await clientFor(apiKey).chat.completions.create(
          body as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal, timeout: options.timeoutMs },
        )
        const answer = toAnswer(completion, (body as { model: string }).model)
        return typeof answer === 'string' ? { ok: false, failure: malformedFailure(answer) } : { ok: true, answer }
      } catch (error) {
        if (expire?.aborted && !closing.signal.aborted && !options.signal?.aborted)
          return { ok: false, failure: timeoutFailure(options.timeoutMs) }
        return { ok: false, failure: signal.aborted ? cancelledFailure() : toFailure(error, options.timeoutMs) }
      }
    },
    async get(url, signal): Promise<TextAnswer> {
      const response = await fetch(url, { signal })
      return { status: response.status, text: await response.text() }
    },
    close(reason) {
      closing.abort(reason)
    },
  }
}
