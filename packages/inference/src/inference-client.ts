import {
  DataflowError,
  isDataflowError,
  type CallOptions,
  type ChatRequest,
  type ChatResult,
  type InferenceClient,
  type JsonChatRequest,
  type JsonChatResult,
  type Logger,
} from '@dataflow/sdk'
import { toBodySkeleton, type ChatBody } from './chat-body.js'
import { chatJson, type PendingAnswer } from './chat-json.js'
import type { InferenceObserver, RequestEvent } from './inference-observer.js'
import type { ModelRuntime } from './model-runtime.js'
import { requestCacheKey, type CachedAnswer, type RequestCache } from './request-cache.js'
import type { SchemaValidators } from './schema-validators.js'
import { sendChat } from './send-chat.js'
import type { Timers } from './timers.js'
import type { UsageMeter } from './usage-meter.js'

/** Who is asking: the node (for accounting) and the item (for its place in the queues). */
export interface ClientBinding {
  /** Node id, for accounting. */
  node: string
  /** The node's depth in the DAG: deeper nodes go first, so started items finish first. */
  priority: number
  /** The item's sequence number in the run: older items go first among equal priorities. */
  sequence: number
  /** Aborts every request of this binding (item cancelled, run stopping). */
  signal?: AbortSignal
  /**
   * Called as each chat completion of this binding ends (answered, from the cache, or failed; a
   * structured-output re-ask is one more): the per-item accounting, counted as report.json counts.
   */
  onRequest?(event: RequestEvent): void
}

/** What clients share: built once per run by the service. */
export interface ServiceState {
  models: ReadonlyMap<string, ModelRuntime>
  timers: Timers
  logger: Logger
  cache: RequestCache | undefined
  /** Set once the simulator's marker was seen, so the notice is logged once per run. */
  simulatorNoticed?: boolean
  closeSignal: AbortSignal
  validators: SchemaValidators
  random: () => number
  meterFor(node: string, model: string): UsageMeter
  reportFatal(error: DataflowError): void
  /** Telemetry; undefined when nobody listens. */
  observer?: InferenceObserver | undefined
}

/** Final failures that count against a model in the error guard: the server's, not the caller's. */
const GUARDED = new Set([
  'DATAFLOW_INFERENCE_FAILED',
  'DATAFLOW_INFERENCE_TIMEOUT',
  'DATAFLOW_INFERENCE_RATE_LIMITED',
  'DATAFLOW_INFERENCE_UNAVAILABLE',
  'DATAFLOW_INFERENCE_REJECTED',
])

function modelFor(state: ServiceState, name: string): ModelRuntime {
  const model = state.models.get(name)
  if (model) return model
  throw new DataflowError(
    'DATAFLOW_MODEL_UNKNOWN',
    `model "${name}" is not declared under models: (declared: ${[...state.models.keys()].join(', ') || 'none'})`,
    {
      hint: "Add it under `models:` in the pipeline file or fix the node's model setting.",
    },
  )
}

/**
 * The signal that cancels a request: the binding's, the call's, or both. The service's close
 * signal is not merged in (it would cost an `AbortSignal.any` per request): a closing service
 * fails queued requests through its pools and in-flight ones through its endpoints.
 */
function callerSignal(binding: ClientBinding, options: CallOptions | undefined): AbortSignal | undefined {
  const own = options?.signal
  if (own === undefined || own === binding.signal) return binding.signal
  return binding.signal ? AbortSignal.any([binding.signal, own]) : own
}

async function cacheRead(state: ServiceState, key: string): Promise<CachedAnswer | undefined> {
  try {
    return await state.cache!.get(key)
  } catch (error) {
    state.logger.warn({ reason: (error as Error).message }, 'request cache read failed; sending the request')
    return undefined
  }
}

function guardFailure(state: ServiceState, model: ModelRuntime): void {
  const guard = model.guard
  if (!guard || model.fatal || !guard.record(true)) return
  const config = model.config
  const hosts = model.replicas.map((replica) => replica.endpoint.host).join(', ')
  const percent = Math.round((100 * guard.failures) / guard.count)
  model.fatal = new DataflowError(
    'DATAFLOW_RUN_ABORTED',
    `model ${config.name} (${config.servedModel}) at ${hosts} failed ${percent}% of the last ${guard.count} requests: is the server up?`,
    {
      hint: 'Check that the server is running and serves this model (the report lists the errors by code), then resume the run.',
      details: {
        model: config.name,
        servedModel: config.servedModel,
        endpoints: hosts,
        window: guard.count,
        failures: guard.failures,
        errors: model.meter.snapshot().errors,
      },
    },
  )
  state.reportFatal(model.fatal)
}

/** Sends one chat request (or answers it from the cache); the cache is written on `commit()`. */
async function complete(
  state: ServiceState,
  binding: ClientBinding,
  request: ChatRequest,
  responseFormat: unknown,
  options: CallOptions | undefined,
): Promise<PendingAnswer> {
  const model = modelFor(state, request.model)
  if (model.fatal) throw model.fatal
  if (state.closeSignal.aborted) throw new DataflowError('DATAFLOW_INTERRUPTED', 'the inference service is closed')
  const nodeMeter = state.meterFor(binding.node, request.model)
  const skeleton = toBodySkeleton(request, model.config, responseFormat, binding.priority)
  const started = state.timers.now()
  const key = state.cache ? cacheKeyOf(skeleton.body, responseFormat) : undefined
  if (key !== undefined) {
    const hit = await cacheRead(state, key)
    if (hit) {
      nodeMeter.cached(hit.usage)
      model.meter.cached(hit.usage)
      const result: ChatResult = {
        text: hit.text,
        finishReason: hit.finishReason,
        usage: hit.usage,
        servedModel: hit.servedModel,
        latencyMs: state.timers.now() - started,
        attempts: 0,
        cached: true,
      }
      emitRequest(state, binding, () => toRequestEvent(binding, model, started, result))
      return { result, commit: noCommit }
    }
  }
  try {
    const { answer, attempts } = await sendChat(state, model, skeleton, binding, callerSignal(binding, options))
    const latencyMs = state.timers.now() - started
    nodeMeter.answered(attempts, answer.usage, latencyMs)
    model.meter.answered(attempts, answer.usage, latencyMs)
    model.guard?.record(false)
    if (key !== undefined && answer.simulated && !state.simulatorNoticed) {
      state.simulatorNoticed = true
      state.logger.info(
        { model: model.config.name },
        'answers from the inference simulator (a test double) are not written to the request cache',
      )
    }
    const commit =
      key === undefined || answer.simulated
        ? noCommit
        : async () => {
            try {
              await state.cache!.set(key, answer)
            } catch (error) {
              state.logger.warn({ reason: (error as Error).message }, 'request cache write failed')
            }
          }
    const result: ChatResult = {
      text: answer.text,
      finishReason: answer.finishReason,
      usage: answer.usage,
      servedModel: answer.servedModel,
      latencyMs,
      attempts,
      cached: false,
    }
    emitRequest(state, binding, () => toRequestEvent(binding, model, started, result))
    return { result, commit }
  } catch (error) {
    const failure = isDataflowError(error)
      ? error
      : new DataflowError('DATAFLOW_INTERNAL', `inference layer bug: ${(error as Error).message}`, { cause: error })
    const attempts = typeof failure.details?.['attempts'] === 'number' ? failure.details['attempts'] : 0
    nodeMeter.failed(failure.code, attempts)
    model.meter.failed(failure.code, attempts)
    if (GUARDED.has(failure.code)) guardFailure(state, model)
    emitRequest(state, binding, () =>
      toFailureEvent(binding, model, started, state.timers.now(), failure.code, attempts),
    )
    throw failure
  }
}

/** Builds the request's event only when someone listens: the run's observer or the binding. */
function emitRequest(state: ServiceState, binding: ClientBinding, build: () => RequestEvent): void {
  if (!state.observer?.request && !binding.onRequest) return
  const event = build()
  state.observer?.request?.(event)
  binding.onRequest?.(event)
}

function toRequestEvent(
  binding: ClientBinding,
  model: ModelRuntime,
  startMs: number,
  result: ChatResult,
): RequestEvent {
  return {
    node: binding.node,
    sequence: binding.sequence,
    model: model.config.name,
    requestModel: model.config.servedModel,
    responseModel: result.servedModel,
    startMs,
    durationMs: result.latencyMs,
    attempts: result.attempts,
    cached: result.cached,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    finishReason: result.finishReason,
  }
}

function toFailureEvent(
  binding: ClientBinding,
  model: ModelRuntime,
  startMs: number,
  endMs: number,
  errorCode: string,
  attempts: number,
): RequestEvent {
  return {
    node: binding.node,
    sequence: binding.sequence,
    model: model.config.name,
    requestModel: model.config.servedModel,
    startMs,
    durationMs: endMs - startMs,
    attempts,
    cached: false,
    promptTokens: 0,
    completionTokens: 0,
    errorCode,
  }
}

/** The request-cache key of a body: everything that shapes the answer. */
function cacheKeyOf(body: ChatBody, responseFormat: unknown): string {
  // `priority` orders the server's queue; it does not shape the answer.
  const { model: servedModel, messages, response_format: _format, priority: _priority, ...params } = body
  return requestCacheKey({ model: servedModel, messages, params, responseFormat })
}

/** Nothing to write: the answer came from the cache, or there is no cache. */
const noCommit = (): undefined => undefined

/** The InferenceClient given to one node for one item (a class: one allocation per binding). */
class BoundClient implements InferenceClient {
  constructor(
    private readonly state: ServiceState,
    private readonly binding: ClientBinding,
  ) {}

  hasModel(name: string): boolean {
    return this.state.models.has(name)
  }

  async chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    const pending = await complete(this.state, this.binding, request, undefined, options)
    const committing = pending.commit()
    if (committing) await committing
    return pending.result
  }

  chatJson<T>(request: JsonChatRequest, options?: CallOptions): Promise<JsonChatResult<T>> {
    const { state, binding } = this
    const model = modelFor(state, request.model)
    const context = {
      complete: (inner: ChatRequest, format: unknown, callOptions: CallOptions | undefined) =>
        complete(state, binding, inner, format, callOptions),
      validators: state.validators,
      onReask: () => {
        state.meterFor(binding.node, request.model).reasked()
        model.meter.reasked()
      },
      onInvalid: () => {
        state.meterFor(binding.node, request.model).countError('DATAFLOW_OUTPUT_INVALID')
        model.meter.countError('DATAFLOW_OUTPUT_INVALID')
      },
    }
    return chatJson(context, model.config.responseFormat, request, options)
  }
}

/** The InferenceClient given to one node for one item. */
export function createInferenceClient(state: ServiceState, binding: ClientBinding): InferenceClient {
  return new BoundClient(state, binding)
}
