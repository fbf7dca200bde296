/** When a model's recent requests fail so often that the run should stop. */
export interface ErrorRateGuardOptions {
  /** Requests in the sliding window. Default 200. */
  windowSize?: number
  /** The guard only judges once the window holds this many requests. Default 20. */
  minRequests?: number
  /** Failure fraction (0..1] of the window that trips the guard. Default 0.8. */
  maxErrorRate?: number
}

/** Failure rate of one model's last N requests (final outcomes, after retries). */
export interface ErrorRateGuard {
  /** Records one outcome; true when this outcome makes the rate pass the threshold. */
  record(failed: boolean): boolean
  readonly count: number
  readonly failures: number
}

export function createErrorRateGuard(options: ErrorRateGuardOptions = {}): ErrorRateGuard {
  const windowSize = options.windowSize ?? 200
  const minRequests = Math.min(options.minRequests ?? 20, windowSize)
  const maxErrorRate = options.maxErrorRate ?? 0.8
  const window = new Uint8Array(windowSize)
  let next = 0
  let count = 0
  let failures = 0
  return {
    record(failed) {
      if (count === windowSize) failures -= window[next]!
      else count++
      window[next] = failed ? 1 : 0
      failures += window[next]!
      next = (next + 1) % windowSize
      return failed && count >= minRequests && failures / count >= maxErrorRate
    },
    get count() {
      return count
    },
    get failures() {
      return failures
    },
  }
}
