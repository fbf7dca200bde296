/** One point of the run's time series (a line of `timeseries.jsonl`). */
export interface TimeSeriesPoint {
  /** Wall clock, epoch milliseconds. */
  at: number
  /** Session of the run (0 for the first `run`, 1 for the first resume...). */
  session: number
  /** Seconds since the session started. */
  t: number
  /** Items with an outcome so far (the whole run, resumed sessions included). */
  done: number
  ok: number
  rejected: number
  error: number
  interrupted: number
  /** Per endpoint (host:port): admission state now, and the queue waits since the previous point. */
  endpoints: Record<string, EndpointPoint>
  /** Per model, this session so far. */
  models: Record<string, ModelPoint>
  /** Cost of this session so far, by currency: at token prices, and as GPU time. */
  cost: { tokens: Record<string, number>; gpu: Record<string, number> }
}

export interface EndpointPoint {
  inFlight: number
  queued: number
  limit: number
  /** Requests that waited for a slot since the previous point, their longest and total wait. */
  waits: number
  waitMsMax: number
  waitMsSum: number
}

export interface ModelPoint {
  requests: number
  promptTokens: number
  completionTokens: number
  cachedAnswers: number
  retries: number
}

/** Base interval between two points. */
export const SAMPLE_MS = 1000
/** Points per interval level: after this many points the interval doubles, so a week-long run writes ~15k lines. */
const POINTS_PER_LEVEL = 1800

/** The interval before the next point, given how many were written: 1 s for the first half hour, then doubling. */
export function nextSampleDelay(points: number, baseMs = SAMPLE_MS): number {
  return baseMs * 2 ** Math.min(10, Math.floor(points / POINTS_PER_LEVEL))
}
