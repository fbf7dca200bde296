import { LATENCY_BOUNDS_MS, type LiveSnapshot, type RunHooks } from '@dataflow/core'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Histogram buckets in seconds: the bounds the run keeps for report.html, so both agree. */
const BUCKETS_SECONDS = LATENCY_BOUNDS_MS.map((ms) => ms / 1000)

export interface RunMetricsOptions {
  /** Node ids in pipeline order (the executor reports nodes by index). */
  nodeIds: readonly string[]
  /** Labels on every series, e.g. `{ pipeline: 'capflow' }` (a distributed worker adds its own). */
  labels?: Record<string, string>
}

/** The Prometheus metrics of one run (names in the README, prefix `dataflow_`). */
export interface RunMetrics {
  readonly registry: Registry
  /** Pass to `runPipeline({ hooks })`: the latency and queue-wait histograms observe as nodes end and requests wait. */
  readonly hooks: RunHooks
  /**
   * Where counters and gauges are read at each scrape; until then only the histograms are served.
   * Several snapshots (a distributed worker's chunk runs) are added up series by series.
   */
  attach(read: () => LiveSnapshot | readonly LiveSnapshot[]): void
  /** The exposition text of a scrape (one snapshot for every series). */
  scrape(): Promise<string>
}

/**
 * Creates the run's metrics. Counters and gauges are read from the run's live snapshot at scrape
 * time (nothing is counted twice, and the figures are the ones report.json ends with); the two
 * histograms observe events, since Prometheus histograms cannot be set from buckets.
 */
export function createRunMetrics(options: RunMetricsOptions): RunMetrics {
  const registry = new Registry()
  if (options.labels) registry.setDefaultLabels(options.labels)
  let read: (() => LiveSnapshot | readonly LiveSnapshot[]) | undefined
  let current: readonly LiveSnapshot[] | undefined
  const toList = (states: LiveSnapshot | readonly LiveSnapshot[] | undefined): readonly LiveSnapshot[] | undefined =>
    states === undefined ? undefined : Array.isArray(states) ? states : [states as LiveSnapshot]
  const snapshots = () => current ?? toList(read?.())
  const registers = [registry]

  /** A counter whose value is the snapshot's running total (reset and re-set at every scrape). */
  const counter = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    values: (state: LiveSnapshot) => Array<[Record<L, string>, number]>,
  ) =>
    new Counter<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        const states = snapshots()
        if (!states) return
        this.reset()
        for (const state of states) for (const [labels, value] of values(state)) this.inc(labels as never, value)
      },
    })
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    values: (state: LiveSnapshot) => Array<[Record<L, string>, number]>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        const states = snapshots()
        if (!states) return
        this.reset()
        for (const state of states) for (const [labels, value] of values(state)) this.inc(labels as never, value)
      },
    })

  counter(
    'dataflow_items_total',
    'Input items with an outcome (whole run, resumed sessions included).',
    ['outcome'],
    ({ progress }) =>
      (['ok', 'rejected', 'error', 'interrupted'] as const).map((outcome) => [{ outcome }, progress[outcome]]),
  )
  gauge('dataflow_items_expected', 'Items the input holds, when the source knows.', [], ({ progress }) =>
    progress.total === undefined ? [] : [[{}, progress.total]],
  )
  counter(
    'dataflow_node_calls_total',
    'Node calls by how they ended: done, skipped, failed, rejected, error, cancelled, reused (this session).',
    ['node', 'event'],
    ({ nodes }) =>
      Object.entries(nodes).flatMap(([node, counts]) =>
        Object.entries(counts).map(([event, count]): [Record<'node' | 'event', string>, number] => [
          { node, event },
          count,
        ]),
      ),
  )
  const nodeLatency = new Histogram<'node'>({
    name: 'dataflow_node_latency_seconds',
    help: 'Wall time of node calls that ran (done, failed, rejected, error) in this session.',
    labelNames: ['node'],
    buckets: BUCKETS_SECONDS,
    registers,
  })
  gauge(
    'dataflow_requests_in_flight',
    'Model requests sent to the endpoint and not answered yet.',
    ['endpoint'],
    ({ endpoints }) => endpoints.map((endpoint) => [{ endpoint: endpoint.host }, endpoint.inFlight]),
  )
  gauge(
    'dataflow_requests_queued',
    'Model requests waiting for a slot at the endpoint.',
    ['endpoint'],
    ({ endpoints }) => endpoints.map((endpoint) => [{ endpoint: endpoint.host }, endpoint.queued]),
  )
  gauge(
    'dataflow_adaptive_limit',
    'Requests the endpoint may have in flight now (adaptive concurrency limit).',
    ['endpoint'],
    ({ endpoints }) => endpoints.map((endpoint) => [{ endpoint: endpoint.host }, endpoint.limit]),
  )
  const queueWait = new Histogram<'endpoint'>({
    name: 'dataflow_queue_wait_seconds',
    help: 'Time requests waited for a slot at the endpoint (requests admitted at once are not observed).',
    labelNames: ['endpoint'],
    buckets: BUCKETS_SECONDS,
    registers,
  })
  counter(
    'dataflow_retries_total',
    'Retried request attempts by model, endpoint and cause (this session).',
    ['model', 'endpoint', 'cause'],
    ({ retries }) => retries.map(({ model, endpoint, cause, count }) => [{ model, endpoint, cause }, count]),
  )
  counter(
    'dataflow_requests_total',
    'Chat completions asked for, answered, cached or failed; a re-ask counts as one more (this session).',
    ['model'],
    ({ inference }) => Object.entries(inference.models).map(([model, usage]) => [{ model }, usage.requests]),
  )
  counter(
    'dataflow_tokens_total',
    'Tokens spent, by model and kind: prompt or completion (this session).',
    ['model', 'kind'],
    ({ inference }) =>
      Object.entries(inference.models).flatMap(([model, usage]): Array<[Record<'model' | 'kind', string>, number]> => [
        [{ model, kind: 'prompt' }, usage.promptTokens],
        [{ model, kind: 'completion' }, usage.completionTokens],
      ]),
  )
  counter(
    'dataflow_cache_hits_total',
    'Requests answered from the request cache (this session).',
    ['model'],
    ({ inference }) => Object.entries(inference.models).map(([model, usage]) => [{ model }, usage.cachedAnswers]),
  )
  counter(
    'dataflow_cost_total',
    'Cost so far by currency and basis: tokens (per-token prices) or gpu (busy GPU time); see report.json for the assumptions (this session).',
    ['currency', 'basis'],
    ({ inference }) => [
      ...Object.entries(inference.cost.byTokens).map(
        ([currency, amount]): [Record<'currency' | 'basis', string>, number] => [{ currency, basis: 'tokens' }, amount],
      ),
      ...Object.entries(inference.cost.byGpu).map(
        ([currency, amount]): [Record<'currency' | 'basis', string>, number] => [{ currency, basis: 'gpu' }, amount],
      ),
    ],
  )

  // Every node has a series from the start (count 0), so a dashboard sees nodes that have not run yet.
  for (const node of options.nodeIds) nodeLatency.zero({ node })
  const latencyByIndex = options.nodeIds.map((node) => nodeLatency.labels({ node }))
  const waitByEndpoint = new Map<string, ReturnType<typeof queueWait.labels>>()
  const hooks: RunHooks = {
    run: {
      node(_sequence, index, event, elapsedMs) {
        if (event === 'skipped' || event === 'cancelled' || event === 'reused') return
        latencyByIndex[index]?.observe(elapsedMs / 1000)
      },
    },
    inference: {
      queueWait({ endpoint, waitMs }) {
        let child = waitByEndpoint.get(endpoint)
        if (!child) waitByEndpoint.set(endpoint, (child = queueWait.labels({ endpoint })))
        child.observe(waitMs / 1000)
      },
    },
  }

  return {
    registry,
    hooks,
    attach(reader) {
      read = reader
    },
    async scrape() {
      current = toList(read?.())
      try {
        return await registry.metrics()
      } finally {
        current = undefined
      }
    },
  }
}
