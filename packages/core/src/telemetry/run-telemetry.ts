import type {
  EndpointGauge,
  InferenceObserver,
  InferenceReport,
  QueueWaitEvent,
  RequestEvent,
  RetryEvent,
} from '@dataflow/inference'
import { createHistogram, type Histogram } from '@dataflow/sdk'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { LATENCY_BOUNDS_MS, type NodeStats } from '../run/node-stats.js'
import type { RunProgress } from '../runtime/execute-pipeline.js'
import { ErrorGrouper } from './error-groups.js'
import { FacetCounter, toFacetSpecs, toTextField } from './facets.js'
import { GallerySampler } from './gallery-sampler.js'
import type { RunObserver } from './run-observer.js'
import { TELEMETRY_VERSION, type NodeDigest, type SessionStatus, type TelemetryDigest } from './telemetry-digest.js'
import type { EndpointPoint, TimeSeriesPoint } from './time-series.js'
import type { LiveSnapshot } from './live-snapshot.js'

/** What the telemetry reads from the run's inference service. */
export interface TelemetryInference {
  report(): InferenceReport
  gauges(): EndpointGauge[]
}

export interface RunTelemetryOptions {
  pipeline: LoadedPipeline
  /** The digest of earlier sessions (resume), carried on. */
  prior?: TelemetryDigest | undefined
  /** Extra per-item and per-request observers (OpenTelemetry). */
  forward?: { run?: RunObserver; inference?: InferenceObserver }
  random?: () => number
  /** Epoch milliseconds. */
  clock?: () => number
}

interface WaitWindow {
  count: number
  sum: number
  max: number
}

/**
 * The run's telemetry collector: per-item distributions, gallery sample and error groups (O(1)
 * per item), retries and queue waits from the inference observer, and snapshots of the live
 * state for the time series, status.json, telemetry.json and Prometheus.
 */
export class RunTelemetry implements InferenceObserver {
  readonly session: number
  private readonly startedAt: number
  private readonly clock: () => number
  private readonly facets: FacetCounter
  private readonly gallery: GallerySampler
  private readonly errors: ErrorGrouper
  private readonly retries = new Map<string, number>()
  private readonly waits = new Map<string, Histogram>()
  private readonly waitWindows = new Map<string, WaitWindow>()
  private inference: TelemetryInference | undefined
  private nodes: NodeStats | undefined
  private progress: RunProgress = {
    total: undefined,
    done: 0,
    ok: 0,
    rejected: 0,
    error: 0,
    interrupted: 0,
    elapsedMs: 0,
  }
  private status: SessionStatus = 'running'
  private readonly textField: { node: string; key: string } | undefined
  /** The executor's hooks: `node` only when something needs per-node events. */
  readonly observer: RunObserver

  constructor(private readonly options: RunTelemetryOptions) {
    this.clock = options.clock ?? Date.now
    this.startedAt = this.clock()
    const prior = options.prior?.version === TELEMETRY_VERSION ? options.prior : undefined
    this.session = prior ? prior.sessions.length : 0
    const specs = toFacetSpecs(options.pipeline.nodes)
    this.textField = toTextField(options.pipeline.nodes)
    this.facets = new FacetCounter(specs, prior?.facets)
    this.gallery = new GallerySampler(specs, this.textField, options.random, prior?.gallery)
    this.errors = new ErrorGrouper(prior?.errors)
    this.priorNodes = prior?.nodes
    this.priorSessions = prior?.sessions ?? []
    const forward = options.forward?.run
    this.observer = {
      outcome: (outcome, itemMs) => {
        this.facets.add(outcome)
        this.gallery.add(outcome)
        this.errors.add(outcome)
        forward?.outcome?.(outcome, itemMs)
      },
      ...(forward?.node ? { node: forward.node.bind(forward) } : {}),
    }
    const inference = options.forward?.inference
    if (inference?.request) this.request = inference.request.bind(inference)
    this.forwardRetry = inference?.retry?.bind(inference)
    this.forwardQueueWait = inference?.queueWait?.bind(inference)
  }

  private readonly forwardRetry: ((event: RetryEvent) => void) | undefined
  private readonly forwardQueueWait: ((event: QueueWaitEvent) => void) | undefined

  private readonly priorNodes: Record<string, NodeDigest> | undefined
  private readonly priorSessions: TelemetryDigest['sessions']
  declare request?: (event: RequestEvent) => void

  retry(event: RetryEvent): void {
    const key = `${event.model}\t${event.endpoint}\t${event.cause}`
    this.retries.set(key, (this.retries.get(key) ?? 0) + 1)
    this.forwardRetry?.(event)
  }

  queueWait(event: QueueWaitEvent): void {
    let histogram = this.waits.get(event.endpoint)
    if (!histogram) this.waits.set(event.endpoint, (histogram = createHistogram()))
    histogram.record(event.waitMs)
    let window = this.waitWindows.get(event.endpoint)
    if (!window) this.waitWindows.set(event.endpoint, (window = { count: 0, sum: 0, max: 0 }))
    window.count++
    window.sum += event.waitMs
    if (event.waitMs > window.max) window.max = event.waitMs
    this.forwardQueueWait?.(event)
  }

  attachInference(inference: TelemetryInference): void {
    this.inference = inference
  }

  attachNodes(nodes: NodeStats): void {
    this.nodes = nodes
  }

  setProgress(progress: RunProgress): void {
    this.progress = progress
  }

  setStatus(status: SessionStatus): void {
    this.status = status
  }

  get latestProgress(): RunProgress {
    return this.progress
  }

  /** Retried attempts by model, endpoint and cause. */
  retryCounts(): TelemetryDigest['retries'] {
    return [...this.retries].map(([key, count]) => {
      const [model, endpoint, cause] = key.split('\t') as [string, string, string]
      return { model, endpoint, cause, count }
    })
  }

  /** Queue-wait histograms per endpoint (this session). */
  queueWaitHistograms(): ReadonlyMap<string, Histogram> {
    return this.waits
  }

  /** The live state for a scrape (Prometheus): counters and gauges only, nothing copied per item. */
  snapshot(): LiveSnapshot {
    const nodes: LiveSnapshot['nodes'] = {}
    for (const [id, report] of Object.entries(this.nodes?.report() ?? {})) {
      const { latencyMs: _latency, ...counts } = report
      nodes[id] = counts
    }
    return {
      progress: this.progress,
      nodes,
      endpoints: this.inference?.gauges() ?? [],
      retries: this.retryCounts(),
      inference: this.inference?.report() ?? {
        models: {},
        nodes: {},
        cost: { byTokens: {}, byGpu: {}, assumptions: [] },
      },
    }
  }

  /** A point of the time series; resets the queue-wait window. */
  sample(): TimeSeriesPoint {
    const now = this.clock()
    const report = this.inference?.report()
    const endpoints: Record<string, EndpointPoint> = {}
    for (const gauge of this.inference?.gauges() ?? []) {
      const window = this.waitWindows.get(gauge.host)
      endpoints[gauge.host] = {
        inFlight: gauge.inFlight,
        queued: gauge.queued,
        limit: gauge.limit,
        waits: window?.count ?? 0,
        waitMsMax: Math.round(window?.max ?? 0),
        waitMsSum: Math.round(window?.sum ?? 0),
      }
    }
    this.waitWindows.clear()
    const models: TimeSeriesPoint['models'] = {}
    for (const [name, model] of Object.entries(report?.models ?? {}))
      models[name] = {
        requests: model.requests,
        promptTokens: model.promptTokens,
        completionTokens: model.completionTokens,
        cachedAnswers: model.cachedAnswers,
        retries: model.retries,
      }
    const { done, ok, rejected, error, interrupted } = this.progress
    return {
      at: now,
      session: this.session,
      t: Math.round(now - this.startedAt) / 1000,
      done,
      ok,
      rejected,
      error,
      interrupted,
      endpoints,
      models,
      cost: { tokens: report?.cost.byTokens ?? {}, gpu: report?.cost.byGpu ?? {} },
    }
  }

  /** The content of telemetry.json now. */
  digest(): TelemetryDigest {
    const { pipeline } = this.options
    const current = this.nodes?.report() ?? {}
    const buckets = this.nodes?.latencyBuckets() ?? {}
    const nodes: Record<string, NodeDigest> = {}
    for (const node of pipeline.nodes) {
      const prior = this.priorNodes?.[node.id]
      const report = current[node.id]
      const counts = { done: 0, skipped: 0, failed: 0, rejected: 0, error: 0, cancelled: 0, reused: 0 }
      for (const key of Object.keys(counts) as Array<keyof typeof counts>)
        counts[key] = (prior?.counts[key] ?? 0) + (report?.[key] ?? 0)
      const mine = buckets[node.id]
      nodes[node.id] = {
        counts,
        buckets: LATENCY_BOUNDS_MS.concat([Infinity]).map(
          (_, index) => (prior?.buckets[index] ?? 0) + (mine?.counts[index] ?? 0),
        ),
        sumMs: Math.round(((prior?.sumMs ?? 0) + (mine?.sumMs ?? 0)) * 10) / 10,
      }
    }
    return {
      version: TELEMETRY_VERSION,
      pipeline: { name: pipeline.name, file: pipeline.file },
      updatedAt: new Date(this.clock()).toISOString(),
      sessions: [...this.priorSessions, { startedAt: new Date(this.startedAt).toISOString(), status: this.status }],
      graph: pipeline.nodes.map((node) => ({ id: node.id, uses: node.uses, needs: node.needs, depth: node.depth })),
      progress: this.progress,
      latencyBoundsMs: [...LATENCY_BOUNDS_MS],
      nodes,
      ...(this.textField ? { textField: this.textField } : {}),
      facets: this.facets.toJSON(),
      gallery: this.gallery.toJSON(),
      errors: this.errors.toJSON(),
      retries: this.retryCounts(),
      queueWaits: Object.fromEntries([...this.waits].map(([host, histogram]) => [host, histogram.summary()])),
      inference: this.inference?.report() ?? {
        models: {},
        nodes: {},
        cost: { byTokens: {}, byGpu: {}, assumptions: [] },
      },
    }
  }
}
