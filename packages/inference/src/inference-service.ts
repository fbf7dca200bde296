import { setMaxListeners } from 'node:events'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { DataflowError, type ImageRef, type InferenceClient, type Logger, type VideoRef } from '@dataflow/sdk'
import { createDataUrlCache } from './data-url-cache.js'
import { createEndpoint, type Endpoint } from './endpoint.js'
import type { ErrorRateGuardOptions } from './error-rate-guard.js'
import { createInferenceClient, type ClientBinding } from './inference-client.js'
import type { EndpointGauge, InferenceObserver } from './inference-observer.js'
import { buildInferenceReport, type InferenceReport } from './inference-report.js'
import type { ModelConfig } from './model-config.js'
import { createModelRuntime, type ModelRuntime } from './model-runtime.js'
import type { RequestCache } from './request-cache.js'
import { resolveModelConfig } from './resolve-model-config.js'
import { createSchemaValidators } from './schema-validators.js'
import { createTimers } from './timers.js'
import { createUsageMeter, type UsageMeter } from './usage-meter.js'

export interface InferenceServiceOptions {
  /** The pipeline's `models:`, by logical name. */
  models: Record<string, ModelConfig>
  logger: Logger
  /** The encoded bytes of a prepared image (the media store). */
  resolveImage: (ref: ImageRef) => Promise<Uint8Array>
  /** The bytes of a video for `videoInput: video_url`. Default: reads `ref.source` (mime from its extension). */
  resolveVideo?: (ref: VideoRef) => Promise<{ bytes: Uint8Array; mime: string }>
  /** Where `apiKeyEnv` names are looked up. Default `process.env`. */
  env?: NodeJS.ProcessEnv
  /** Request cache: consulted before sending, written after valid answers. */
  cache?: RequestCache
  /** Monotonic clock in milliseconds. Default `performance.now`. */
  now?: () => number
  /** Run-level error guard; `false` turns it off. Defaults: window 200, minRequests 20, maxErrorRate 0.8. */
  errorGuard?: ErrorRateGuardOptions | false
  /** Random source for retry jitter. Default `Math.random`. */
  random?: () => number
  /** Per-request events for telemetry (time series, Prometheus, OpenTelemetry). */
  observer?: InferenceObserver
}

/** Called once per model whose error guard trips, with a DATAFLOW_RUN_ABORTED error. */
export type FatalListener = (error: DataflowError) => void

/** The run's inference layer: shared pools per endpoint, clients bound to node and item, accounting. */
export interface InferenceService {
  /** A client bound to a node and an item (cheap: call it per node per item). */
  clientFor(binding: ClientBinding): InferenceClient
  /** JSON-serialisable usage, limits and cost, for report.json. */
  report(): InferenceReport
  /** In-flight, queued and the adaptive limit of every endpoint, now (cheap: for periodic sampling). */
  gauges(): EndpointGauge[]
  /**
   * Registers a listener for fatal errors: when a model's error rate over its recent requests
   * passes the guard's threshold, listeners get a DATAFLOW_RUN_ABORTED error (once per model;
   * at once if it already happened) and every later request to that model fails with it.
   * Returns a function that removes the listener.
   */
  onFatal(listener: FatalListener): () => void
  /** The first fatal error, if any. */
  readonly fatalError: DataflowError | undefined
  /** Cancels queued and in-flight requests, stops metrics polling, destroys the sockets. */
  close(): Promise<void>
}

const VIDEO_MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
}

async function readVideoFile(ref: VideoRef): Promise<{ bytes: Uint8Array; mime: string }> {
  return { bytes: await readFile(ref.source), mime: VIDEO_MIME[extname(ref.source).toLowerCase()] ?? 'video/mp4' }
}

/**
 * The key named by `apiKeyEnv`. An unset variable is not an error: local vLLM servers run without
 * keys, and pipelines name the variable so that hosted APIs only need an `export`. The run logs
 * a warning, and a 401 names the variable in its hint.
 */
function readApiKey(name: string, config: ModelConfig, env: NodeJS.ProcessEnv, logger: Logger): string {
  if (config.apiKeyEnv === undefined) return 'EMPTY'
  const key = env[config.apiKeyEnv]
  if (key === undefined || key === '') {
    logger.warn(
      { model: name, apiKeyEnv: config.apiKeyEnv },
      `models.${name}: ${config.apiKeyEnv} is not set; sending requests without an API key`,
    )
    return 'EMPTY'
  }
  return key
}

export function createInferenceService(options: InferenceServiceOptions): InferenceService {
  const env = options.env ?? process.env
  const timers = createTimers(options.now)
  const logger = options.logger.child({ component: 'inference' })
  // Validate every entry and read every key before opening anything, so a bad entry leaks nothing.
  const resolved = Object.entries(options.models).map(([name, input]) => ({
    config: resolveModelConfig(name, input),
    apiKey: readApiKey(name, input, env, options.logger),
  }))
  const endpoints = new Map<string, Endpoint>()
  const models = new Map<string, ModelRuntime>()
  const dataUrls = createDataUrlCache({
    resolveImage: options.resolveImage,
    resolveVideo: options.resolveVideo ?? readVideoFile,
  })
  for (const { config, apiKey } of resolved) {
    const replicas = config.endpoints.map((url, index) => {
      let endpoint = endpoints.get(url)
      if (!endpoint) {
        endpoint = createEndpoint(url, config, timers, logger)
        endpoints.set(url, endpoint)
      } else if (endpoint.limiter.stats().ceiling !== config.maxConcurrency) {
        logger.warn(
          { model: config.name, endpoint: endpoint.host },
          'models sharing an endpoint share its pool: the limits of the first model declaring it apply',
        )
      }
      if (config.metrics)
        endpoint.enableMetrics(config.metrics.urls[index] ?? config.metrics.urls[0]!, config.metrics.intervalMs)
      return endpoint
    })
    models.set(config.name, createModelRuntime(config, replicas, apiKey, options.errorGuard ?? {}, timers, dataUrls))
  }

  const listeners = new Set<FatalListener>()
  const fatalErrors: DataflowError[] = []
  const closeController = new AbortController()
  // Every in-flight request listens to it: hundreds of listeners are expected, not a leak.
  setMaxListeners(0, closeController.signal)
  const nodeMeters = new Map<string, Map<string, UsageMeter>>()
  const state = {
    models,
    timers,
    logger,
    cache: options.cache,
    closeSignal: closeController.signal,
    validators: createSchemaValidators(),
    random: options.random ?? Math.random,
    observer: options.observer,
    meterFor(node: string, model: string): UsageMeter {
      let byModel = nodeMeters.get(node)
      if (!byModel) nodeMeters.set(node, (byModel = new Map<string, UsageMeter>()))
      let meter = byModel.get(model)
      if (!meter) byModel.set(model, (meter = createUsageMeter()))
      return meter
    },
    reportFatal(error: DataflowError) {
      fatalErrors.push(error)
      logger.error({ err: error.toJSON() }, error.message)
      for (const listener of listeners) listener(error)
    },
  }
  let closed: Promise<void> | undefined

  return {
    clientFor: (binding) => createInferenceClient(state, binding),
    report: () => buildInferenceReport(models, nodeMeters),
    gauges: () =>
      [...endpoints.values()].map((endpoint) => ({
        host: endpoint.host,
        inFlight: endpoint.pool.inFlight,
        queued: endpoint.pool.queued,
        limit: endpoint.pool.limit,
        ceiling: endpoint.limiter.stats().ceiling,
        paused: endpoint.pool.isPaused(),
      })),
    onFatal(listener) {
      listeners.add(listener)
      for (const error of fatalErrors) queueMicrotask(() => listeners.has(listener) && listener(error))
      return () => listeners.delete(listener)
    },
    get fatalError() {
      return fatalErrors[0]
    },
    close() {
      closed ??= (async () => {
        const reason = new DataflowError(
          'DATAFLOW_INTERRUPTED',
          'the inference service was closed before the request finished',
        )
        closeController.abort(reason)
        for (const endpoint of endpoints.values()) endpoint.close(reason)
        listeners.clear()
      })()
      return closed
    },
  }
}
