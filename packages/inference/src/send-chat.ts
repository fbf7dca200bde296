import { DataflowError, type Logger } from '@dataflow/sdk'
import { acquireFirst, admitNow, type Admission } from './acquire-first.js'
import type { AdmissionTicket } from './admission-pool.js'
import { backoffDelay } from './backoff.js'
import { materializeBody, type BodySkeleton, type ChatBody } from './chat-body.js'
import { failureCode, isOverload, isReplicaFailure, isRetryable, type Failure } from './classify-failure.js'
import type { DataUrlCache } from './data-url-cache.js'
import type { InferenceObserver } from './inference-observer.js'
import type { Candidates, ModelRuntime } from './model-runtime.js'
import { redactSecrets } from './redact-secrets.js'
import { runAttempt, type Answer } from './run-attempt.js'
import { sleep, type Timers } from './timers.js'

export interface SendContext {
  timers: Timers
  dataUrls: DataUrlCache
  random: () => number
  logger: Logger
  /** Aborted when the service closes: attempts and back-off sleeps end at once. */
  closeSignal: AbortSignal
  /** Telemetry: retries and queue waits. */
  observer?: InferenceObserver | undefined
}

export interface SendOutcome {
  answer: Answer
  attempts: number
}

const interrupted = (attempts: number) => () =>
  new DataflowError('DATAFLOW_INTERRUPTED', 'the request was cancelled', { details: { attempts } })

const HINTS: Record<string, string> = {
  'rate-limited': 'The server keeps answering 429: lower maxConcurrency or raise the quota.',
  timeout: 'Raise timeoutMs, lower maxTokens, or lower maxConcurrency if the server is overloaded.',
  unavailable: 'Check that the server is running and reachable at this URL.',
  'stale-connection': 'Check that the server is running and reachable at this URL.',
  'server-error': 'Check the server logs.',
  malformed: 'Check that the URL points to an OpenAI-compatible chat-completions API.',
}

function rejectedHint(status: number | undefined, model: ModelRuntime): string {
  const config = model.config
  if (status === 401 || status === 403) {
    return config.apiKeyEnv
      ? `Check the API key in the environment variable ${config.apiKeyEnv}.`
      : 'The server wants an API key: set `apiKeyEnv` to the name of the variable holding it.'
  }
  if (status === 404)
    return `Check that the server serves the model "${config.servedModel}" under this base URL (usually ending in /v1).`
  return 'The server refused the request: check the request parameters and the model settings.'
}

function toError(failure: Failure, attempts: number, model: ModelRuntime, host: string): DataflowError {
  const code = failureCode(failure.kind)
  const message = redactSecrets(failure.message, [model.apiKey])
  const attemptText = attempts === 1 ? '1 attempt' : `${attempts} attempts`
  return new DataflowError(
    code,
    `model ${model.config.name} (${model.config.servedModel}) at ${host}: ${message} (after ${attemptText})`,
    {
      hint:
        failure.kind === 'rejected'
          ? rejectedHint(failure.status, model)
          : (HINTS[failure.kind] ?? 'Check the server.'),
      details: {
        status: failure.status ?? null,
        attempts,
        endpoint: host,
        model: model.config.name,
        servedModel: model.config.servedModel,
        ...(failure.causeCode === undefined ? {} : { cause: failure.causeCode }),
      },
    },
  )
}

/** Waits in the candidates' queues; the rejection says how many attempts were made. */
async function waitForSlot(
  candidates: Candidates,
  ticket: AdmissionTicket,
  signal: AbortSignal | undefined,
  attempts: number,
): Promise<Admission> {
  try {
    return await acquireFirst(candidates.pools, ticket, signal, candidates.start)
  } catch (cause) {
    throw new DataflowError('DATAFLOW_INTERRUPTED', 'the request was cancelled while waiting for a slot', {
      cause,
      details: { attempts },
    })
  }
}

/** The caller's signal and the service's close signal as one (back-off sleeps only: they are rare). */
const eitherSignal = (signal: AbortSignal | undefined, closeSignal: AbortSignal) =>
  signal ? AbortSignal.any([signal, closeSignal]) : closeSignal

/** The model's fatal error (a function, so TypeScript does not carry the narrowing across awaits). */
function fatalOf(model: ModelRuntime): DataflowError | undefined {
  return model.fatal
}

/**
 * Sends a request through the model's replicas: admission by priority, per-attempt timeout,
 * retries with exponential backoff and full jitter for retryable failures, adaptive limit and
 * breaker updates, Retry-After pauses. Throws a DataflowError with the SDK code of the last failure.
 */
export async function sendChat(
  context: SendContext,
  model: ModelRuntime,
  skeleton: BodySkeleton,
  ticket: AdmissionTicket,
  signal: AbortSignal | undefined,
): Promise<SendOutcome> {
  const { timers, logger } = context
  const config = model.config
  const maxAttempts = 1 + config.retries
  let attempts = 0
  let sleepSignal: AbortSignal | undefined
  for (;;) {
    if (model.fatal) throw model.fatal
    const candidates = model.candidates()
    // A free slot is taken synchronously: no promise unless the request has to queue.
    let admission = signal?.aborted ? undefined : admitNow(candidates.pools, candidates.start)
    if (admission === undefined) {
      const queuedAt = timers.now()
      admission = await waitForSlot(candidates, ticket, signal, attempts)
      context.observer?.queueWait?.({
        model: config.name,
        endpoint: candidates.replicas[admission.index]!.endpoint.host,
        waitMs: timers.now() - queuedAt,
      })
    }
    const { index, slot } = admission
    const replica = candidates.replicas[index]!
    const { endpoint } = replica
    // Read again: a request that just waited for a slot may find the model stopped meanwhile.
    const fatal = fatalOf(model)
    if (fatal) {
      slot.release('neutral')
      throw fatal
    }
    if (!endpoint.breaker.canSend() && model.replicas.some((other) => other.endpoint.breaker.canSend())) {
      slot.release('neutral')
      continue
    }
    let body: ChatBody = skeleton.body
    if (skeleton.media.size > 0) {
      try {
        body = await materializeBody(skeleton, context.dataUrls)
      } catch (error) {
        slot.release('neutral')
        throw error
      }
    }
    attempts++
    const trial = endpoint.breaker.onSend()
    const started = timers.now()
    replica.busy.start()
    const result = await runAttempt(endpoint.client(model.apiKey), body, {
      signal,
      timeoutMs: config.timeoutMs,
      closed: context.closeSignal,
    })
    replica.busy.stop()
    if (result.ok) {
      endpoint.latency.record(timers.now() - started)
      endpoint.breaker.onSuccess()
      slot.release('success')
      return { answer: result.answer, attempts }
    }
    const { failure } = result
    slot.release(isOverload(failure.kind) ? 'overload' : 'neutral')
    if (isReplicaFailure(failure.kind)) endpoint.breaker.onFailure(trial)
    else endpoint.breaker.onNeutral(trial)
    if (failure.kind === 'cancelled') throw interrupted(attempts)()
    if (failure.retryAfterMs !== undefined && (failure.kind === 'rate-limited' || failure.kind === 'unavailable')) {
      const pauseMs = Math.min(failure.retryAfterMs, config.backoff.maxMs)
      const wasRunning = !endpoint.pool.isPaused()
      if (endpoint.pool.pauseUntil(timers.now() + pauseMs) && wasRunning) {
        logger.info(
          { model: config.name, endpoint: endpoint.host, pauseMs },
          'server asked to retry later: admissions paused',
        )
      }
    }
    if (!isRetryable(failure.kind) || attempts >= maxAttempts) throw toError(failure, attempts, model, endpoint.host)
    context.observer?.retry?.({ model: config.name, endpoint: endpoint.host, cause: failure.kind })
    const delayMs = failure.kind === 'stale-connection' ? 0 : backoffDelay(attempts, config.backoff, context.random)
    logger.debug(
      {
        model: config.name,
        endpoint: endpoint.host,
        attempt: attempts,
        kind: failure.kind,
        status: failure.status,
        delayMs,
      },
      'retrying',
    )
    sleepSignal ??= eitherSignal(signal, context.closeSignal)
    await sleep(timers, delayMs, sleepSignal, interrupted(attempts))
  }
}
