/** Why an attempt got the timeout it got. */
export interface AttemptTimeout {
  ms: number
  /** The p99 it follows, when it follows one (undefined: the configured timeout applies). */
  p99Ms: number | undefined
}

/**
 * Per-attempt timeouts that follow observed latency: `MULTIPLIER` x the p99 of the last answers
 * of similar requests (same key: model and node), within [floor, ceiling]. A key with fewer than
 * 20 answers (a node that runs for a few items only) follows all the model's answers. A request
 * far slower than its peers (a hung connection) is cancelled in seconds, not after the ceiling.
 */
export interface AdaptiveTimeout {
  /** The timeout of the next attempt of `key`. */
  timeoutFor(key: string): AttemptTimeout
  /** An attempt of `key` was answered after `ms`. */
  answered(key: string, ms: number): void
  /** An attempt of `key` timed out. */
  timedOut(key: string): void
}

/** Timeout = this many times the p99 of similar answers. */
export const MULTIPLIER = 4
/** Answers of a key needed before its timeout adapts. */
const MIN_SAMPLES = 20
/** Latencies kept per key (the most recent). */
const WINDOW = 256
/** Attempt outcomes kept per key to tell hangs from a slow server. */
const OUTCOMES = 64
/**
 * When more than this share of a key's recent attempts timed out, the server is slow rather than
 * a request hung: the configured ceiling applies until answers show the new latency.
 */
const MAX_TIMEOUT_SHARE = 0.1
/** The key of every answer of the model, for keys with too few of their own. */
const ALL = '\u0000all'

interface KeyState {
  latencies: Float64Array
  count: number
  p99: number | undefined
  /** Answers since the p99 was computed. */
  stale: number
  outcomes: Uint8Array
  outcomeCount: number
  timeouts: number
}

export function createAdaptiveTimeout(options: { floorMs: number; ceilingMs: number }): AdaptiveTimeout {
  const { ceilingMs } = options
  const floorMs = Math.min(options.floorMs, ceilingMs)
  const keys = new Map<string, KeyState>()
  const stateOf = (key: string) => {
    let state = keys.get(key)
    if (!state) {
      state = {
        latencies: new Float64Array(WINDOW),
        count: 0,
        p99: undefined,
        stale: 0,
        outcomes: new Uint8Array(OUTCOMES),
        outcomeCount: 0,
        timeouts: 0,
      }
      keys.set(key, state)
    }
    return state
  }
  const recordOutcome = (state: KeyState, timedOut: boolean) => {
    const index = state.outcomeCount % OUTCOMES
    if (state.outcomeCount >= OUTCOMES) state.timeouts -= state.outcomes[index]!
    state.outcomes[index] = timedOut ? 1 : 0
    state.timeouts += state.outcomes[index]
    state.outcomeCount++
  }
  const p99Of = (state: KeyState): number | undefined => {
    const size = Math.min(state.count, WINDOW)
    if (size < MIN_SAMPLES) return undefined
    // Recomputed every 16 answers: a sort of at most 256 numbers, not one per request.
    if (state.p99 === undefined || state.stale >= 16) {
      const sorted = state.latencies.slice(0, size).sort()
      state.p99 = sorted[Math.min(size - 1, Math.ceil(0.99 * size) - 1)]!
      state.stale = 0
    }
    return state.p99
  }
  return {
    timeoutFor(key) {
      const own = keys.get(key)
      const state = own !== undefined && Math.min(own.count, WINDOW) >= MIN_SAMPLES ? own : keys.get(ALL)
      if (!state) return { ms: ceilingMs, p99Ms: undefined }
      const outcomes = Math.min(state.outcomeCount, OUTCOMES)
      if (outcomes > 0 && state.timeouts / outcomes > MAX_TIMEOUT_SHARE) return { ms: ceilingMs, p99Ms: undefined }
      const p99 = p99Of(state)
      if (p99 === undefined) return { ms: ceilingMs, p99Ms: undefined }
      return { ms: Math.round(Math.min(ceilingMs, Math.max(floorMs, MULTIPLIER * p99))), p99Ms: p99 }
    },
    answered(key, ms) {
      for (const state of [stateOf(key), stateOf(ALL)]) {
        state.latencies[state.count % WINDOW] = ms
        state.count++
        state.stale++
        recordOutcome(state, false)
      }
    },
    timedOut(key) {
      recordOutcome(stateOf(key), true)
      recordOutcome(stateOf(ALL), true)
    },
  }
}
