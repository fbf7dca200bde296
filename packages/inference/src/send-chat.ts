import { DataflowError, type Logger } from '@dataflow/sdk'
import { acquireFirst, admitNow, type Admission } from './acquire-first.js'
import type { AdmissionTicket } from './admission-pool.js'
import { backoffDelay } from './backoff.js'
import { materializeBody, type BodySkeleton, type ChatBody } from './chat-body.js'
import { isOverload, isReplicaFailure, isRetryable, type Failure } from './attempt-failure.js'
import { MULTIPLIER } from './adaptive-timeout.js'
import type { InferenceObserver } from './inference-observer.js'
import type { Candidates, ModelRuntime } from './model-runtime.js'
import { redactSecrets } from './redact-secrets.js'
import type { AttemptResult } from './http-wire.js'
import type { Answer } from './read-completion.js'
import { sleep, type Timers } from './timers.js'

export interface SendContext {
  timers: Timers
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

function hintFor(failure: Failure, model: ModelRuntime): string {
  switch (failure.code) {
    case 'DATAFLOW_INFERENCE_RATE_LIMITED':
      return 'The server keeps answering 429: lower maxConcurrency or raise the quota.'
    case 'DATAFLOW_INFERENCE_TIMEOUT':
      return 'Raise timeoutMs (and minTimeoutMs), lower maxTokens, or lower maxConcurrency if the server is overloaded.'
    case 'DATAFLOW_INFERENCE_UNAVAILABLE':
      return 'Check that the server is running and reachable at this URL.'
    case 'DATAFLOW_INFERENCE_FAILED':
      return failure.status === undefined
        ? 'Check that the URL points to an OpenAI-compatible chat-completions API.'
        : 'Check the server logs.'
    case 'DATAFLOW_INFERENCE_REJECTED':
      return rejectedHint(failure.status, model)
    default:
      return 'Check the server.'
  }
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
  const message = redactSecrets(failure.message, [model.apiKey])
  const attemptText = attempts === 1 ? '1 attempt' : `${attempts} attempts`
  return new DataflowError(
    failure.code,
    `model ${model.config.name} (${model.config.servedModel}) at ${host}: ${message} (after ${attemptText})`,
    {
      hint: hintFor(failure, model),
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

/** The pause before retry number `attempts` (1-based) after `failure`. */
function retryDelay(failure: Failure, attempts: number, model: ModelRuntime, random: () => number): number {
  if (failure.stale) return 0
  // The request that got a Retry-After (429, 503) waits what was asked (up to backoff.maxMs), no more.
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, model.config.backoff.maxMs)
  return backoffDelay(attempts, model.config.backoff, random)
}

/** The server answered the attempt (any status): its time counts as GPU time. */
const wasAnswered = (result: AttemptResult) =>
  result.ok || result.failure.status !== undefined || result.failure.code === 'DATAFLOW_INFERENCE_FAILED'

/**
 * Sends a request through the model's replicas: admission by priority, an adaptive per-attempt
 * timeout, retries with exponential backoff and full jitter for retryable failures (Retry-After
 * for the request that got it), adaptive limit and breaker updates. A retry waits without a slot.
 * Throws a DataflowError with the SDK code of the last failure.
 */
export async function sendChat(
  context: SendContext,
  model: ModelRuntime,
  skeleton: BodySkeleton,
  binding: AdmissionTicket & { node: string },
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
      admission = await waitForSlot(candidates, binding, signal, attempts)
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
        body = await materializeBody(skeleton, model.mediaUrls)
      } catch (error) {
        slot.release('neutral')
        throw error
      }
    }
    attempts++
    const trial = endpoint.breaker.onSend()
    let timeout = model.timeouts.timeoutFor(binding.node)
    const started = replica.busy.start()
    // Sent before any estimate: held to the node's adaptive timeout as soon as there is one.
    const watched = timeout.p99Ms === undefined ? model.ceilingWatch.watch(binding.node, started) : undefined
    const result = await endpoint.wire.chat(model.apiKey, body, {
      signal,
      timeoutMs: timeout.ms,
      expire: watched?.signal,
    })
    if (watched) {
      watched.done()
      timeout = watched.timeout ?? timeout
    }
    replica.busy.stop(started, wasAnswered(result))
    if (result.ok) {
      const latency = timers.now() - started
      endpoint.latency.record(latency)
      model.timeouts.answered(binding.node, latency)
      model.ceilingWatch.rearm()
      endpoint.breaker.onSuccess()
      slot.release('success')
      return { answer: result.answer, attempts }
    }
    const { failure } = result
    if (failure.code === 'DATAFLOW_INTERRUPTED') {
      slot.release('neutral')
      endpoint.breaker.onNeutral(trial)
      throw interrupted(attempts)()
    }
    // An attempt far slower than its peers (the adaptive timeout) hung on its own: it costs its
    // slot, not the limit. Reaching the configured ceiling says the server is slow: overload.
    const hung =
      failure.code === 'DATAFLOW_INFERENCE_TIMEOUT' && failure.status === undefined && timeout.p99Ms !== undefined
    const decreased = slot.release(isOverload(failure) && !hung ? 'overload' : 'neutral')
    if (isReplicaFailure(failure)) endpoint.breaker.onFailure(trial)
    else endpoint.breaker.onNeutral(trial)
    if (failure.code === 'DATAFLOW_INFERENCE_TIMEOUT' && failure.status === undefined) {
      model.timeouts.timedOut(binding.node)
      endpoint.timeouts++
      logger.warn(
        {
          model: config.name,
          endpoint: endpoint.host,
          node: binding.node,
          timeoutMs: timeout.ms,
          ...(timeout.p99Ms === undefined ? {} : { p99Ms: Math.round(timeout.p99Ms) }),
          attempt: attempts,
          timeouts: endpoint.timeouts,
        },
        timeout.p99Ms === undefined
          ? `no answer within ${timeout.ms} ms (timeoutMs): attempt cancelled`
          : `no answer within ${timeout.ms} ms (${MULTIPLIER} x the p99 of ${binding.node}'s answers, within minTimeoutMs-timeoutMs): attempt cancelled`,
      )
    }
    // An overload that lowered the limit and named a pause: the endpoint waits what was asked, once.
    if (decreased && failure.retryAfterMs !== undefined) {
      const pauseMs = Math.min(failure.retryAfterMs, config.backoff.maxMs)
      if (endpoint.pool.pauseUntil(timers.now() + pauseMs)) {
        logger.info(
          { model: config.name, endpoint: endpoint.host, pauseMs },
          'server asked to retry later while overloaded: admissions paused',
        )
      }
    }
    if (!isRetryable(failure) || attempts >= maxAttempts) throw toError(failure, attempts, model, endpoint.host)
    context.observer?.retry?.({ model: config.name, endpoint: endpoint.host, cause: failure.code })
    const delayMs = retryDelay(failure, attempts, model, context.random)
    logger.debug(
      {
        model: config.name,
        endpoint: endpoint.host,
        attempt: attempts,
        code: failure.code,
        status: failure.status,
        delayMs,
      },
      'retrying',
    )
    sleepSignal ??= eitherSignal(signal, context.closeSignal)
    await sleep(timers, delayMs, sleepSignal, interrupted(attempts))
  }
}
