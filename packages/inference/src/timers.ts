/** The clock and timers the inference layer uses; injected so that tests control time. */
export interface Timers {
  /** Milliseconds on a monotonic clock. */
  now: () => number
  setTimeout: (callback: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

/** Real timers with the given clock (default `performance.now`). */
export function createTimers(now: () => number = () => performance.now()): Timers {
  return {
    now,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  }
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(
  timers: Timers,
  ms: number,
  signal: AbortSignal | undefined,
  onAbort: () => Error,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(onAbort())
  return new Promise((resolve, reject) => {
    const abort = () => {
      timers.clearTimeout(handle)
      reject(onAbort())
    }
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', abort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', abort, { once: true })
  })
}
