import type { AdaptiveTimeout, AttemptTimeout } from './adaptive-timeout.js'
import type { Timers } from './timers.js'

/** An attempt sent under the configured ceiling because its node had no latency estimate yet. */
export interface WatchedAttempt {
  /** Aborts when the attempt outlives the adaptive timeout its node has since got. */
  readonly signal: AbortSignal
  /** The timeout it was held to once re-armed (undefined while still under the ceiling). */
  readonly timeout: AttemptTimeout | undefined
  /** The attempt ended: forget it. */
  done(): void
}

/**
 * The first attempts of a run go out before any answer says how long answers take, under the
 * configured ceiling (300 s by default). When the estimate appears, those still in flight are
 * held to it too (timed from when they were sent), so a hang in the first wave costs seconds
 * like any other, not the ceiling.
 */
export interface CeilingWatch {
  watch(node: string, startedAt: number): WatchedAttempt
  /** Answers arrived: re-arm the watched attempts whose node now has an estimate. */
  rearm(): void
}

interface Entry {
  node: string
  startedAt: number
  controller: AbortController
  timeout: AttemptTimeout | undefined
  timer: unknown
}

export function createCeilingWatch(timeouts: AdaptiveTimeout, timers: Timers): CeilingWatch {
  const watched = new Set<Entry>()
  return {
    watch(node, startedAt) {
      const entry: Entry = { node, startedAt, controller: new AbortController(), timeout: undefined, timer: undefined }
      watched.add(entry)
      return {
        signal: entry.controller.signal,
        get timeout() {
          return entry.timeout
        },
        done() {
          watched.delete(entry)
          if (entry.timer !== undefined) timers.clearTimeout(entry.timer)
        },
      }
    },
    rearm() {
      if (watched.size === 0) return
      const now = timers.now()
      for (const entry of watched) {
        if (entry.timeout !== undefined) continue
        const timeout = timeouts.timeoutFor(entry.node)
        if (timeout.p99Ms === undefined) continue
        entry.timeout = timeout
        const remaining = entry.startedAt + timeout.ms - now
        if (remaining <= 0) entry.controller.abort()
        else entry.timer = timers.setTimeout(() => entry.controller.abort(), remaining)
      }
    },
  }
}
