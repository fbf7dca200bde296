import type { HistogramSummary, SerializedError } from '@dataflow/sdk'
import type { PoolStats } from './admission-pool.js'
import type { LimiterStats } from './aimd-limiter.js'
import type { BreakerState } from './circuit-breaker.js'
import type { ModelRuntime } from './model-runtime.js'
import type { UsageMeter, UsageReport } from './usage-meter.js'
import type { MetricsStats } from './vllm-metrics.js'

export type { UsageReport } from './usage-meter.js'

export interface Money {
  amount: number
  currency: string
}

/** Cost both ways: at per-token prices, and as GPU time. Absent when the model has no prices / gpu. */
export interface CostFigures {
  tokens?: Money
  gpu?: Money
}

export interface NodeUsageReport extends UsageReport {
  cost: CostFigures
}

export interface EndpointReport {
  host: string
  /** Wall time this model's attempts were being answered here (the union of answered attempts). */
  busySeconds: number
  /** Attempts that timed out here (all models). */
  timeouts: number
  /** Shared by every model sending to this endpoint. */
  pool: PoolStats & { inFlight: number; queued: number }
  limit: LimiterStats
  breaker: { state: BreakerState; opens: number }
  /** Duration of successful attempts (all models at this endpoint). */
  attemptLatencyMs: HistogramSummary
  metrics?: MetricsStats
}

export interface ModelReport extends UsageReport {
  servedModel: string
  endpoints: EndpointReport[]
  busySeconds: number
  /** busySeconds x gpu.count / 3600, when `gpu` is configured. */
  gpuHours?: number
  cost: CostFigures
  /** Set when the error guard stopped this model. */
  fatal?: SerializedError
}

/** What `service.report()` returns; JSON-serialisable, written into report.json. */
export interface InferenceReport {
  models: Record<string, ModelReport>
  /** Usage by node id, then by model name. */
  nodes: Record<string, Record<string, NodeUsageReport>>
  cost: {
    /** Total at per-token prices, by currency. */
    byTokens: Record<string, number>
    /** Total as GPU-hours x price, by currency. */
    byGpu: Record<string, number>
    /** How the figures were computed, one sentence each. */
    assumptions: string[]
  }
}

const money = (amount: number, currency: string): Money => ({ amount: Math.round(amount * 1e6) / 1e6, currency })
const seconds = (ms: number) => Math.round(ms) / 1000

function tokenCost(model: ModelRuntime, usage: UsageReport): Money | undefined {
  const prices = model.config.prices
  if (!prices) return undefined
  return money(
    (usage.promptTokens * prices.inputPerMillion + usage.completionTokens * prices.outputPerMillion) / 1e6,
    prices.currency,
  )
}

function assumptionsFor(model: ModelRuntime): string[] {
  const { name, prices, gpu, endpoints } = model.config
  const lines: string[] = []
  if (prices) {
    lines.push(
      `${name}: ${prices.inputPerMillion} ${prices.currency} per million prompt tokens and ${prices.outputPerMillion} per million completion tokens; cached answers cost nothing.`,
    )
  }
  if (gpu) {
    lines.push(
      `${name}: GPU cost = busy time (wall time covered by attempts of this model that the server answered, per replica; ${endpoints.length} replica(s)) x ${gpu.count} GPU(s) per replica x ${gpu.pricePerHour} ${gpu.currency} per GPU-hour; idle time and time spent waiting on attempts that got no answer (hung, timed out, refused) are not charged; shared across nodes by their share of prompt+completion tokens.`,
    )
  }
  return lines
}

/** Builds the report from the live state (cheap enough to call at any time). */
export function buildInferenceReport(
  models: ReadonlyMap<string, ModelRuntime>,
  nodeMeters: ReadonlyMap<string, ReadonlyMap<string, UsageMeter>>,
): InferenceReport {
  const report: InferenceReport = { models: {}, nodes: {}, cost: { byTokens: {}, byGpu: {}, assumptions: [] } }
  const add = (totals: Record<string, number>, cost: Money | undefined) => {
    if (cost) totals[cost.currency] = Math.round(((totals[cost.currency] ?? 0) + cost.amount) * 1e6) / 1e6
  }
  const gpuCosts = new Map<string, Money | undefined>()
  for (const [name, model] of models) {
    const usage = model.meter.snapshot()
    const busyMs = model.replicas.reduce((sum, replica) => sum + replica.busy.busyMs(), 0)
    const gpu = model.config.gpu
    const gpuHours = gpu ? (busyMs / 3_600_000) * gpu.count : undefined
    const gpuCost = gpu && gpuHours !== undefined ? money(gpuHours * gpu.pricePerHour, gpu.currency) : undefined
    gpuCosts.set(name, gpuCost)
    const tokens = tokenCost(model, usage)
    add(report.cost.byTokens, tokens)
    add(report.cost.byGpu, gpuCost)
    report.cost.assumptions.push(...assumptionsFor(model))
    report.models[name] = {
      ...usage,
      servedModel: model.config.servedModel,
      busySeconds: seconds(busyMs),
      ...(gpuHours === undefined ? {} : { gpuHours: Math.round(gpuHours * 1e6) / 1e6 }),
      cost: { ...(tokens ? { tokens } : {}), ...(gpuCost ? { gpu: gpuCost } : {}) },
      endpoints: model.replicas.map(({ endpoint, busy }) => ({
        host: endpoint.host,
        busySeconds: seconds(busy.busyMs()),
        timeouts: endpoint.timeouts,
        pool: { ...endpoint.pool.stats(), inFlight: endpoint.pool.inFlight, queued: endpoint.pool.queued },
        limit: endpoint.limiter.stats(),
        breaker: { state: endpoint.breaker.state(), opens: endpoint.breaker.opens },
        attemptLatencyMs: endpoint.latency.summary(),
        ...(endpoint.metrics ? { metrics: endpoint.metrics.stats() } : {}),
      })),
      ...(model.fatal ? { fatal: model.fatal.toJSON() } : {}),
    }
  }
  for (const [node, byModel] of nodeMeters) {
    const entries: Record<string, NodeUsageReport> = {}
    for (const [name, meter] of byModel) {
      const model = models.get(name)!
      const usage = meter.snapshot()
      const modelGpu = gpuCosts.get(name)
      const share = model.meter.tokens > 0 ? meter.tokens / model.meter.tokens : 0
      const tokens = tokenCost(model, usage)
      entries[name] = {
        ...usage,
        cost: {
          ...(tokens ? { tokens } : {}),
          ...(modelGpu ? { gpu: money(modelGpu.amount * share, modelGpu.currency) } : {}),
        },
      }
    }
    report.nodes[node] = entries
  }
  return report
}
