import type { ErrorCode } from '@dataflow/sdk'
import { parseRetryAfter } from './retry-after.js'

/**
 * One failed HTTP attempt, in the SDK's error vocabulary: `code` is the DataflowError code the
 * request fails with if no retry succeeds; the other fields decide retry, back-off and the breaker.
 */
export interface Failure {
  code: ErrorCode
  /** HTTP status, when the server answered. */
  status: number | undefined
  /** The pause the server asked for (Retry-After), in milliseconds. */
  retryAfterMs: number | undefined
  /** What went wrong, in one line (not yet redacted). */
  message: string
  /** System error code of a connection failure (ECONNREFUSED, ...). */
  causeCode: string | undefined
  /** A kept-alive socket the server had already closed: retried at once, says nothing about the server. */
  stale: boolean
}

const failure = (code: ErrorCode, message: string, extra: Partial<Failure> = {}): Failure => ({
  code,
  message,
  status: undefined,
  retryAfterMs: undefined,
  causeCode: undefined,
  stale: false,
  ...extra,
})

/** The caller aborted, or the service closed. */
export const cancelledFailure = (): Failure => failure('DATAFLOW_INTERRUPTED', 'the request was cancelled')

/** No answer within the attempt's timeout. */
export const timeoutFailure = (timeoutMs: number): Failure =>
  failure('DATAFLOW_INFERENCE_TIMEOUT', `no answer within ${timeoutMs} ms`)

/** A 2xx answer that is not a chat completion (or not JSON). */
export const malformedFailure = (message: string): Failure => failure('DATAFLOW_INFERENCE_FAILED', message)

/** The connection failed before an answer: refused, reset, DNS... `stale` for a reused socket. */
export function connectionFailure(error: Error & { code?: unknown }, stale: boolean): Failure {
  const causeCode = typeof error.code === 'string' ? error.code : undefined
  return stale
    ? failure('DATAFLOW_INFERENCE_UNAVAILABLE', 'a kept-alive connection was closed by the server', {
        causeCode,
        stale,
      })
    : failure('DATAFLOW_INFERENCE_UNAVAILABLE', `connection failed: ${error.message}`, { causeCode })
}

/** The server's error message from an OpenAI-style body (`{"error": {"message"}}`), else the text. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown }
    const message =
      typeof body.error === 'object' && body.error !== null
        ? body.error.message
        : (body.error ?? body.message ?? body.detail)
    if (typeof message === 'string') return message
  } catch {
    // not JSON: the text itself
  }
  return text.trim() || 'no message'
}

/** A non-2xx answer. */
export function statusFailure(status: number, headers: { get(name: string): string | null }, body: string): Failure {
  const message = `HTTP ${status}: ${errorMessage(body).slice(0, 500)}`
  const retryAfterMs = parseRetryAfter(headers)
  if (status === 429) return failure('DATAFLOW_INFERENCE_RATE_LIMITED', message, { status, retryAfterMs })
  if (status === 503) return failure('DATAFLOW_INFERENCE_UNAVAILABLE', message, { status, retryAfterMs })
  if (status === 408 || status === 504) return failure('DATAFLOW_INFERENCE_TIMEOUT', message, { status })
  if (status >= 500) return failure('DATAFLOW_INFERENCE_FAILED', message, { status })
  return failure('DATAFLOW_INFERENCE_REJECTED', message, { status })
}

/** Failures that may succeed on a retry. */
export const isRetryable = (f: Failure) => f.code !== 'DATAFLOW_INFERENCE_REJECTED' && f.code !== 'DATAFLOW_INTERRUPTED'

/** Failures that say the server is overloaded (429, 503, timeouts, refused connections): the limit may back off. */
export const isOverload = (f: Failure) =>
  !f.stale &&
  (f.code === 'DATAFLOW_INFERENCE_RATE_LIMITED' ||
    f.code === 'DATAFLOW_INFERENCE_UNAVAILABLE' ||
    f.code === 'DATAFLOW_INFERENCE_TIMEOUT')

/** Failures that say the replica is unhealthy: they count toward its circuit breaker. */
export const isReplicaFailure = (f: Failure) =>
  !f.stale &&
  (f.code === 'DATAFLOW_INFERENCE_UNAVAILABLE' ||
    f.code === 'DATAFLOW_INFERENCE_TIMEOUT' ||
    f.code === 'DATAFLOW_INFERENCE_FAILED')
