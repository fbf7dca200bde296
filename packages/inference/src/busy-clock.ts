/**
 * Wall time during which at least one request was in flight: the GPU time a self-hosted
 * model is charged for.
 */
export interface BusyClock {
  start(): void
  stop(): void
  /** Busy milliseconds so far, including the current busy stretch. */
  busyMs(): number
}

export function createBusyClock(now: () => number): BusyClock {
  let active = 0
  let since = 0
  let total = 0
  return {
    start() {
      if (active++ === 0) since = now()
    },
    stop() {
      if (active === 0) return
      if (--active === 0) total += now() - since
    },
    busyMs: () => total + (active > 0 ? now() - since : 0),
  }
}
