import type { InferenceReport } from '@dataflow/inference'

/** What the whole input will take, extrapolated from this session's finished items. */
export interface RunProjection {
  /** Items of the whole input: the source's count after --shard, without --limit (undefined: the source cannot count). */
  items: number | undefined
  /** Items finished so far, earlier sessions included. */
  done: number
  /** This session's finished items and wall time the rates come from. */
  basedOn: { items: number; elapsedMs: number }
  itemsPerSecond: number
  /** Wall time left for the whole input at that rate (undefined: unknown input size or no rate yet). */
  etaMs: number | undefined
  /** GPU-hours of the whole input (models with `gpu:` configured), from their busy time per item. */
  gpuHours: number | undefined
  /** Cost of the whole input by currency: at per-token prices and as GPU time (models with prices / `gpu:`). */
  cost: { byTokens: Record<string, number>; byGpu: Record<string, number> }
}

export interface ProjectionInput {
  /** Items of the whole input, if known. */
  items: number | undefined
  done: number
  sessionItems: number
  sessionElapsedMs: number
  /** The inference report of this session (its usage, busy time and cost). */
  inference: InferenceReport
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits

/**
 * Scales this session's usage per finished item to the whole input. GPU-hours come from busy time
 * (wall time with requests in flight): a pilot that runs far below the servers' concurrency
 * overestimates them.
 */
export function projectRun(input: ProjectionInput): RunProjection {
  const { items, done, sessionItems, sessionElapsedMs, inference } = input
  const scale = items === undefined || sessionItems === 0 ? undefined : items / sessionItems
  const itemsPerSecond = sessionElapsedMs > 0 ? (sessionItems / sessionElapsedMs) * 1000 : 0
  let sessionGpuHours: number | undefined
  for (const model of Object.values(inference.models))
    if (model.gpuHours !== undefined) sessionGpuHours = (sessionGpuHours ?? 0) + model.gpuHours
  const scaled = (totals: Record<string, number>) =>
    Object.fromEntries(Object.entries(totals).map(([currency, amount]) => [currency, round(amount * (scale ?? 0), 2)]))
  return {
    items,
    done,
    basedOn: { items: sessionItems, elapsedMs: Math.round(sessionElapsedMs) },
    itemsPerSecond: round(itemsPerSecond, 2),
    etaMs:
      items === undefined || itemsPerSecond === 0
        ? undefined
        : Math.round((Math.max(0, items - done) / itemsPerSecond) * 1000),
    gpuHours: sessionGpuHours === undefined || scale === undefined ? undefined : round(sessionGpuHours * scale, 2),
    cost:
      scale === undefined
        ? { byTokens: {}, byGpu: {} }
        : { byTokens: scaled(inference.cost.byTokens), byGpu: scaled(inference.cost.byGpu) },
  }
}

/**
 * When the first projection is due: after a tenth of this session's items, but at least 10 and
 * at most 200 (a 100-item pilot projects after 10 items; a long run after 200).
 */
export function projectionThreshold(sessionTotal: number | undefined): number {
  if (sessionTotal === undefined) return 200
  return Math.max(10, Math.min(200, Math.ceil(sessionTotal / 10)))
}

/** The projection as one line for the log. */
export function formatProjection(projection: RunProjection): string {
  const parts: string[] = []
  parts.push(
    projection.items === undefined ? 'input size unknown' : `${projection.items.toLocaleString('en-US')} items`,
  )
  if (projection.gpuHours !== undefined) parts.push(`${projection.gpuHours.toLocaleString('en-US')} GPU-hours`)
  const money = (totals: Record<string, number>, how: string) =>
    Object.entries(totals).map(([currency, amount]) => `${amount.toLocaleString('en-US')} ${currency} ${how}`)
  parts.push(...money(projection.cost.byTokens, 'at token prices'), ...money(projection.cost.byGpu, 'as GPU time'))
  if (projection.etaMs !== undefined) parts.push(`ETA ${formatDuration(projection.etaMs)}`)
  return `projection for the whole input: ${parts.join(', ')} (at ${projection.itemsPerSecond} items/s, from the first ${projection.basedOn.items} items of this session)`
}

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${Math.max(minutes, ms > 0 ? 1 : 0)} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}
