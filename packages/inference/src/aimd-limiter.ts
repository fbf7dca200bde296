/** What the server's /metrics says about its queue. */
export interface ServerLoad {
  running: number
  waiting: number
  /** Share of the KV cache in use (0..1), when the server exports it (reported, not steered on). */
  kvCacheUsage?: number
}

/** Why the limit moved. */
export type LimitChangeReason =
  /** Overload answers (429, 503, timeouts, connection errors) passed the threshold within one round trip. */
  | 'overload'
  /** A round trip without overload after a decrease: back towards the limit before it. */
  | 'recovery'
  /** A round trip without overload at or above that limit: one more slot (no /metrics). */
  | 'probe'
  /** /metrics: the server's waiting queue is longer than wanted. */
  | 'server-queue'
  /** /metrics: our queue is saturated and the server has room. */
  | 'server-headroom'

/** One change of the limit, as logged. */
export interface LimitChange {
  from: number
  to: number
  reason: LimitChangeReason
  /** For `overload`: overload answers and answers counted in the round trip that decided it. */
  overloads?: number
  answers?: number
}

export interface LimiterStats {
  initial: number
  current: number
  /** Lowest and highest limit the controller used. */
  min: number
  max: number
  floor: number
  ceiling: number
  /** Decreases for overload (not /metrics steering). */
  decreases: number
  /** Every change, whatever the reason (each one is logged). */
  changes: number
}

/**
 * The concurrency limit of one endpoint. Random failures do not move it: it decreases only when
 * overload answers pass 15% of one round trip's answers (a round trip: `limit` answers, at least
 * 20), at most once per round trip, and it climbs back half the gap per healthy round trip. Optionally steered by
 * the server's queue (vLLM /metrics).
 */
export interface AimdLimiter {
  /** Requests allowed in flight now (an integer within [floor, ceiling]). */
  readonly limit: number
  /**
   * Counts decreases. A request remembers the epoch it was admitted in; only answers of requests
   * admitted since the last decrease are judged, so one round trip decreases the limit once.
   */
  readonly epoch: number
  /** A request admitted in `epoch` was answered. */
  onSuccess(epoch: number): void
  /** A request admitted in `epoch` met 429/503/a timeout/a connection error; true when the limit decreased. */
  onOverload(epoch: number): boolean
  /**
   * A /metrics reading: shrink by the server's excess waiting requests, or grow by the headroom
   * when our queue is saturated. While readings arrive, they replace probing beyond the known limit.
   */
  onServerLoad(load: ServerLoad, pool: { inFlight: number; saturated: boolean }): void
  /** Readings stopped (poll error): fall back to probing. */
  onServerLoadLost(): void
  stats(): LimiterStats
}

export interface AimdLimiterOptions {
  floor: number
  ceiling: number
  initial: number
  /** Multiplier on overload. Default 0.7. */
  decreaseFactor?: number
  /** Share of a round trip's answers (at least 20) that must be overload answers to decrease. Default 0.15. */
  overloadShare?: number
  /** Waiting requests allowed per running request on the server (metrics mode). Default 0.1. */
  maxWaitingRatio?: number
  /** Called after every change of the limit. */
  onChange?: (change: LimitChange) => void
}

/** Overload answers needed in one round trip before the limit moves: one alone is noise. */
const MIN_OVERLOADS = 2
/**
 * Answers judged together at least, whatever the limit: below it a few random 429s would be a
 * large share (seeded simulations: with 5% random 429s a limit of 16-128 then stays at its ceiling).
 */
const MIN_ROUND_TRIP = 20

export function createAimdLimiter(options: AimdLimiterOptions): AimdLimiter {
  const { floor, ceiling } = options
  const factor = options.decreaseFactor ?? 0.7
  const share = options.overloadShare ?? 0.15
  const ratio = options.maxWaitingRatio ?? 0.1
  const clamp = (value: number) => Math.min(ceiling, Math.max(floor, Math.floor(value)))
  const initial = clamp(options.initial)
  let limit = initial
  /** The limit before the last decrease: recovery climbs back to it quickly. */
  let recoverTo = initial
  let epoch = 0
  /** Answers and overload answers of this epoch since the last judged round trip. */
  let answers = 0
  let overloads = 0
  let decreases = 0
  let changes = 0
  let metricsActive = false
  let min = limit
  let max = limit
  const set = (next: number, reason: LimitChangeReason, detail?: { overloads: number; answers: number }) => {
    const from = limit
    limit = clamp(next)
    if (limit === from) return false
    changes++
    min = Math.min(min, limit)
    max = Math.max(max, limit)
    options.onChange?.({ from, to: limit, reason, ...detail })
    return true
  }
  /** A round trip ended without a decrease: recover, or probe one slot higher. */
  const healthyRoundTrip = () => {
    answers = 0
    overloads = 0
    if (limit < recoverTo) set(limit + Math.max(1, Math.ceil((recoverTo - limit) / 2)), 'recovery')
    else if (!metricsActive && set(limit + 1, 'probe')) recoverTo = limit
  }
  return {
    get limit() {
      return limit
    },
    get epoch() {
      return epoch
    },
    onSuccess(admittedIn) {
      if (admittedIn !== epoch) return
      if (++answers >= Math.max(limit, MIN_ROUND_TRIP)) healthyRoundTrip()
    },
    onOverload(admittedIn) {
      if (admittedIn !== epoch) return false
      answers++
      overloads++
      if (overloads >= MIN_OVERLOADS && overloads > share * Math.max(answers, limit, MIN_ROUND_TRIP)) {
        const detail = { overloads, answers }
        const before = limit
        answers = 0
        overloads = 0
        if (!set(limit * factor, 'overload', detail)) return false
        recoverTo = before
        epoch++
        decreases++
        return true
      }
      if (answers >= Math.max(limit, MIN_ROUND_TRIP)) healthyRoundTrip()
      return false
    },
    onServerLoad(load, pool) {
      metricsActive = true
      const target = Math.max(1, Math.floor(ratio * load.running))
      if (load.waiting > target) {
        set(Math.min(limit, Math.max(pool.inFlight, floor)) - (load.waiting - target), 'server-queue')
        recoverTo = Math.min(recoverTo, limit)
      } else if (pool.saturated && set(limit + Math.max(1, target - load.waiting), 'server-headroom')) {
        recoverTo = Math.max(recoverTo, limit)
      }
    },
    onServerLoadLost() {
      metricsActive = false
    },
    stats: () => ({ initial, current: limit, min, max, floor, ceiling, decreases, changes }),
  }
}
