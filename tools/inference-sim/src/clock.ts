import { performance } from 'node:perf_hooks'

/** Time source and timers of the simulator; tests inject a manual clock for virtual time. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}
