import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type { ErrorCode } from '@dataflow/sdk'
import { isStaleConnectionError } from './agent-fetch.js'
import { parseRetryAfter } from './retry-after.js'

export type FailureKind =
  | 'rate-limited'
  | 'timeout'
  | 'unavailable'
  | 'server-error'
  | 'malformed'
  | 'rejected'
  | 'stale-connection'
  | 'cancelled'

/** One failed attempt, in terms that decide retry, back-off and the replica breaker. */
export interface Failure {
  kind: FailureKind
  /** HTTP status, when the server answered. */
  status: number | undefined
  /** The pause the server asked for (Retry-After), in milliseconds. */
  retryAfterMs: number | undefined
  /** What went wrong, in one line (not yet redacted). */
  message: string
  /** System error code of a connection failure (ECONNREFUSED, ...). */
  causeCode: string | undefined
}

/** What the attempt runner knew when the error arrived. */
export interface AttemptState {
  /** The caller aborted, or the service closed. */
  cancelled: boolean
}

const failure = (kind: FailureKind, message: string, extra: Partial<Failure> = {}): Failure => ({
  kind,
  message,
  status: undefined,
  retryAfterMs: undefined,
  causeCode: undefined,
  ...extra,
})

function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code
  }
  return undefined
}

/** Sorts an error thrown by an attempt (openai errors, fetch errors, parse errors). */
export function classifyFailure(error: unknown, state: AttemptState): Failure {
  if (state.cancelled) return failure('cancelled', 'the request was cancelled')
  if (error instanceof APIConnectionTimeoutError) return failure('timeout', 'no answer within the timeout')
  if (error instanceof APIUserAbortError) return failure('cancelled', 'the request was cancelled')
  if (error instanceof APIConnectionError) {
    const causeCode = systemCode(error)
    if (isStaleConnectionError(error.cause))
      return failure('stale-connection', 'a kept-alive connection was closed by the server', { causeCode })
    const reason = error.cause instanceof Error ? error.cause.message : error.message
    return failure('unavailable', `connection failed: ${reason}`, { causeCode })
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status
    const message = `HTTP ${status}: ${error.message.replace(/^\d{3}\s*/, '').slice(0, 500)}`
    const retryAfterMs = parseRetryAfter(error.headers as Headers | undefined)
    if (status === 429) return failure('rate-limited', message, { status, retryAfterMs })
    if (status === 503) return failure('unavailable', message, { status, retryAfterMs })
    if (status === 408 || status === 504) return failure('timeout', message, { status })
    if (status >= 500) return failure('server-error', message, { status })
    return failure('rejected', message, { status })
  }
  if (error instanceof SyntaxError) return failure('malformed', `the server sent malformed JSON: ${error.message}`)
  if (error instanceof MalformedResponseError) return failure('malformed', error.message)
  const code = systemCode(error)
  if (code !== undefined)
    return failure('unavailable', `connection failed: ${(error as Error).message}`, { causeCode: code })
  throw error
}

/** A 2xx answer that is not a chat completion. */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError'
}

/** The SDK error code of a failure. */
export function failureCode(kind: FailureKind): ErrorCode {
  switch (kind) {
    case 'rate-limited':
      return 'DATAFLOW_INFERENCE_RATE_LIMITED'
    case 'timeout':
      return 'DATAFLOW_INFERENCE_TIMEOUT'
    case 'unavailable':
    case 'stale-connection':
      return 'DATAFLOW_INFERENCE_UNAVAILABLE'
    case 'server-error':
    case 'malformed':
      return 'DATAFLOW_INFERENCE_FAILED'
    case 'rejected':
      return 'DATAFLOW_INFERENCE_REJECTED'
    case 'cancelled':
      return 'DATAFLOW_INTERRUPTED'
  }
}

/** Failures that may succeed on a retry. */
export const isRetryable = (kind: FailureKind) => kind !== 'rejected' && kind !== 'cancelled'

/** Failures that say the server is overloaded: the adaptive limit backs off. */
export const isOverload = (kind: FailureKind) => kind === 'rate-limited' || kind === 'unavailable' || kind === 'timeout'

/** Failures that say the replica is unhealthy: they count toward its circuit breaker. */
export const isReplicaFailure = (kind: FailureKind) =>
  kind === 'unavailable' || kind === 'timeout' || kind === 'server-error' || kind === 'malformed'
