/** Percentiles of a latency in one time base. */
export interface WaitSummary {
  count: number
  p50: number
  p95: number
  max: number
}

/** What `stats()` and `GET /sim/stats` report, since start or the last reset. */
export interface SimStats {
  /** Real ms since start or the last reset. */
  elapsedMs: number
  maxSeqs: number
  timeScale: number
  /** Requests in the running batch now. */
  running: number
  /** Requests in the FIFO queue now. */
  waiting: number
  /** Chat requests being handled now (queued, running, hung or writing). */
  inFlight: number
  /** TCP connections open now. */
  openConnections: number
  /**
   * Time-weighted mean of running / maxSeqs: over the busy period (time with at least one
   * request running) and over the whole time since start or reset.
   */
  utilisation: { busy: number; sinceReset: number }
  /** Time with at least one request running. */
  busyMs: { simulated: number; real: number }
  /** Time requests spent in the queue before entering the batch. */
  queueWaitMs: { simulated: WaitSummary; real: WaitSummary }
  /** Chat requests received with a readable body (faults are drawn in this order). */
  arrivals: number
  /** Chat responses by HTTP status ("200", "400", "429", ...); a malformed answer counts as 200. */
  requestsByStatus: Record<string, number>
  /** Requests whose client disconnected before the answer was complete. */
  aborted: number
  /** Injected faults by kind. */
  faults: {
    serverError: number
    rateLimited: number
    overloaded: number
    hung: number
    malformed: number
    slow: number
  }
  tokens: { prompt: number; cachedPrompt: number; completion: number }
  prefixCache: { queryTokens: number; hitTokens: number }
  /** Highest values seen: TCP connections, in-flight chat requests, batch and queue sizes. */
  peaks: { connections: number; inFlight: number; running: number; waiting: number; runningPlusWaiting: number }
  /**
   * Complete, valid 200 answers per request-content hash (see `requestContentHash`): a value
   * above 1 means the same call was answered more than once.
   */
  completedByContent: Record<string, number>
  /** How many request-content hashes were answered more than once. */
  repeatedContent: number
}
