import type { ErrorCode } from '@dataflow/sdk'

/**
 * Per-request events for telemetry (time series, Prometheus, OpenTelemetry). Every method is
 * optional and called synchronously on the request path: keep implementations to a few field
 * writes. Times are on the service clock (`now`, default `performance.now`).
 */
export interface InferenceObserver {
  /** A chat completion ended: answered by a server, answered from the request cache, or failed for good. */
  request?(event: RequestEvent): void
  /** An attempt failed and will be retried. */
  retry?(event: RetryEvent): void
  /** A request waited in an endpoint's admission queue before it was admitted (not called when admitted at once). */
  queueWait?(event: QueueWaitEvent): void
}

/** One chat completion as the node saw it (queueing and retries included). */
export interface RequestEvent {
  /** Node id of the binding. */
  node: string
  /** The item's position in the input (the binding's sequence). */
  sequence: number
  /** Logical model name (`models:` key). */
  model: string
  /** The model name sent to the server. */
  requestModel: string
  /** The model name the server answered with (absent for failures). */
  responseModel?: string
  startMs: number
  durationMs: number
  attempts: number
  cached: boolean
  promptTokens: number
  completionTokens: number
  finishReason?: string
  /** DataflowError code of a failed request. */
  errorCode?: string
}

export interface RetryEvent {
  model: string
  /** host:port of the endpoint the failed attempt went to. */
  endpoint: string
  /** The DataflowError code of the failed attempt (DATAFLOW_INFERENCE_RATE_LIMITED, _TIMEOUT, ...). */
  /** The DataflowError code of the failed attempt (DATAFLOW_INFERENCE_RATE_LIMITED, ...). */
  cause: ErrorCode
}

export interface QueueWaitEvent {
  model: string
  /** host:port of the endpoint that admitted the request. */
  endpoint: string
  waitMs: number
}

/** Live admission state of one endpoint. */
export interface EndpointGauge {
  /** host:port. */
  host: string
  inFlight: number
  queued: number
  /** The adaptive concurrency limit now. */
  limit: number
  /** maxConcurrency. */
  ceiling: number
  /** True while a Retry-After pause holds admissions. */
  paused: boolean
}
