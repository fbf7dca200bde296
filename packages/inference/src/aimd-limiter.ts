/** What the server's /metrics says about its queue. */
export interface ServerLoad {
  running: number
  waiting: number
}

export interface LimiterStats {
  initial: number
  current: number
  /** Lowest and highest limit the controller used. */
  min: number
  max: number
  floor: number
  ceiling: number
  decreases: number
}

/**
 * The concurrency limit of one endpoint: additive increase, multiplicative decrease between a
 * floor and a ceiling, optionally steered by the server's queue (vLLM /metrics).
 */
export interface AimdLimiter {
  /** Requests allowed in flight now (an integer within [floor, ceiling]). */
  readonly limit: number
  /**
   * Counts decreases. A request remembers the epoch it was admitted in; its overload signal only
   * lowers the limit if no decrease happened since, so one burst of 429s halves the limit once.
   */
  readonly epoch: number
  /** A request succeeded: grow by one per `limit` successes (one per round trip of a full window). */
  onSuccess(): void
  /** A request admitted in `epoch` met 429/503/a timeout/a connection error: multiply the limit by the factor. */
  onOverload(epoch: number): boolean
  /**
   * A /metrics reading: shrink by the server's excess waiting requests, or grow by the headroom
   * when our queue is saturated. While readings arrive, they replace additive increase.
   */
  onServerLoad(load: ServerLoad, pool: { inFlight: number; saturated: boolean }): void
  /** Readings stopped (poll error): fall back to additive increase. */
  onServerLoadLost(): void
  stats(): LimiterStats
}

export interface AimdLimiterOptions {
  floor: number
  ceiling: number
  initial: number
  /** Multiplier on overload. Default 0.5. */
  decreaseFactor?: number
  /** Waiting requests allowed per running request on the server (metrics mode). Default 0.1. */
  maxWaitingRatio?: number
}

export function createAimdLimiter(options: AimdLimiterOptions): AimdLimiter {
  const { floor, ceiling } = options
  const factor = options.decreaseFactor ?? 0.5
  const ratio = options.maxWaitingRatio ?? 0.1
  const clamp = (value: number) => Math.min(ceiling, Math.max(floor, Math.floor(value)))
  const initial = clamp(options.initial)
  let limit = initial
  /** Successes since the last change: one full window of them buys one more slot. */
  let credit = 0
  let epoch = 0
  let decreases = 0
  let metricsActive = false
  let min = limit
  let max = limit
  const set = (next: number) => {
    limit = clamp(next)
    credit = 0
    min = Math.min(min, limit)
    max = Math.max(max, limit)
  }
  const decrease = (next: number): boolean => {
    const before = limit
    set(next)
    if (limit === before) return false
    epoch++
    decreases++
    return true
  }
  return {
    get limit() {
      return limit
    },
    get epoch() {
      return epoch
    },
    onSuccess() {
      if (metricsActive || limit >= ceiling) return
      if (++credit >= limit) set(limit + 1)
    },
    onOverload(admittedIn) {
      if (admittedIn !== epoch) return false
      return decrease(limit * factor)
    },
    onServerLoad(load, pool) {
      metricsActive = true
      const target = Math.max(1, Math.floor(ratio * load.running))
      if (load.waiting > target) decrease(Math.min(limit, Math.max(pool.inFlight, floor)) - (load.waiting - target))
      else if (pool.saturated) set(limit + Math.max(1, target - load.waiting))
    },
    onServerLoadLost() {
      metricsActive = false
    },
    stats: () => ({ initial, current: limit, min, max, floor, ceiling, decreases }),
  }
}
