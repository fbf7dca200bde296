import type { RunProgress } from '../runtime/execute-pipeline.js'
import type { RunProjection } from '../runtime/run-projection.js'
import type { SessionStatus } from './telemetry-digest.js'
import type { TimeSeriesPoint } from './time-series.js'

/** `status.json`: the run now, for scripts and dashboards; rewritten every few seconds and at the end. */
export interface RunStatus {
  pipeline: string
  runDir: string
  pid: number
  status: SessionStatus
  /** 0 for the first session, 1 after the first resume... */
  session: number
  startedAt: string
  updatedAt: string
  elapsedSeconds: number
  /** Items with an outcome (the whole run). */
  done: number
  /** Items the input holds, when the source knows. */
  total: number | null
  percent: number | null
  /** Over the last 30 s (or the session so far, when shorter). */
  itemsPerSecond: number
  /** From `itemsPerSecond`; null without a total or a rate. */
  etaSeconds: number | null
  outcomes: { ok: number; rejected: number; error: number; interrupted: number }
  /** This session's model requests and tokens. */
  requests: number
  tokens: { prompt: number; completion: number }
  /** This session's cost so far, by currency. */
  cost: { tokens: Record<string, number>; gpu: Record<string, number> }
  /** Whole-input projection (items, ETA, GPU-hours, cost), once the engine made one. */
  projection?: RunProjection
}

/** Rate window for items/s and ETA. */
export const RATE_WINDOW_MS = 30_000

/** Builds status.json from the latest point and one about {@link RATE_WINDOW_MS} older. */
export function toRunStatus(
  base: { pipeline: string; runDir: string; pid: number; status: SessionStatus; startedAt: number },
  progress: RunProgress,
  point: TimeSeriesPoint,
  earlier: TimeSeriesPoint | undefined,
): RunStatus {
  const from = earlier ?? { t: 0, done: point.done - sessionDone(progress, point) }
  const seconds = point.t - from.t
  const rate = seconds > 0 ? (point.done - from.done) / seconds : 0
  const total = progress.total ?? null
  let requests = 0
  let prompt = 0
  let completion = 0
  for (const model of Object.values(point.models)) {
    requests += model.requests
    prompt += model.promptTokens
    completion += model.completionTokens
  }
  const { projection } = progress
  return {
    pipeline: base.pipeline,
    runDir: base.runDir,
    pid: base.pid,
    status: base.status,
    session: point.session,
    startedAt: new Date(base.startedAt).toISOString(),
    updatedAt: new Date(point.at).toISOString(),
    elapsedSeconds: point.t,
    done: point.done,
    total,
    percent: total ? Math.floor((point.done / total) * 1000) / 10 : null,
    itemsPerSecond: Math.round(rate * 100) / 100,
    etaSeconds: total !== null && rate > 0 ? Math.round(Math.max(0, total - point.done) / rate) : null,
    outcomes: { ok: point.ok, rejected: point.rejected, error: point.error, interrupted: point.interrupted },
    requests,
    tokens: { prompt, completion },
    cost: point.cost,
    ...(projection === undefined ? {} : { projection }),
  }
}

/** Items this session finished: progress.elapsedMs is per session, done is for the whole run; without an earlier point, assume all done items of this session. */
function sessionDone(progress: RunProgress, point: TimeSeriesPoint): number {
  return point.session === 0 ? point.done : Math.min(point.done, progress.done)
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  if (seconds < 48 * 3600)
    return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
  return `${Math.floor(seconds / 86_400)}d${String(Math.floor((seconds % 86_400) / 3600)).padStart(2, '0')}h`
}

const formatCost = (cost: Record<string, number>) =>
  Object.entries(cost)
    .map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`)
    .join(' + ')

/** One progress line for logs: done/total, items/s, ETA, outcomes, tokens and cost so far. */
export function formatStatusLine(status: RunStatus): string {
  const total = status.total === null ? '' : `/${status.total} (${status.percent}%)`
  const eta = status.etaSeconds === null ? '' : `, eta ${formatDuration(status.etaSeconds)}`
  const { ok, rejected, error, interrupted } = status.outcomes
  const cost = [formatCost(status.cost.tokens), formatCost(status.cost.gpu)].filter(Boolean)
  const parts = [
    `progress ${status.done}${total}, ${status.itemsPerSecond} items/s${eta}`,
    `ok ${ok} rejected ${rejected} error ${error}${interrupted ? ` interrupted ${interrupted}` : ''}`,
    `${status.tokens.prompt + status.tokens.completion} tokens`,
  ]
  if (cost.length > 0) parts.push(`cost ${cost.join(' / ')}`)
  if (status.projection) parts.push(formatProjectionBrief(status.projection))
  return parts.join('; ')
}

/** The whole-input projection in a few words for the progress line (the log has it in full once). */
function formatProjectionBrief(projection: RunProjection): string {
  const parts = [
    projection.items === undefined ? 'input size unknown' : `${projection.items.toLocaleString('en-US')} items`,
  ]
  if (projection.etaMs !== undefined) parts.push(`eta ${formatDuration(projection.etaMs / 1000)}`)
  if (projection.gpuHours !== undefined) parts.push(`${projection.gpuHours.toLocaleString('en-US')} GPU-hours`)
  const cost = [formatCost(projection.cost.byTokens), formatCost(projection.cost.byGpu)].filter(Boolean)
  if (cost.length > 0) parts.push(`cost ${cost.join(' / ')}`)
  return `whole input: ${parts.join(', ')}`
}
