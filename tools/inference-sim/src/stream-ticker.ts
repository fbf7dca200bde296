/** Real milliseconds between two chunks of a streamed answer. */
export const STREAM_INTERVAL_MS = 50

/**
 * One shared interval timer for every open stream: each tick lets every stream send the tokens
 * decoded since the last tick, as one chunk. The timer runs only while a stream is open.
 */
export interface StreamTicker {
  /** Calls `tick` on every interval until the returned function is called. */
  add(tick: () => void): () => void
  dispose(): void
}

export function createStreamTicker(intervalMs = STREAM_INTERVAL_MS): StreamTicker {
  const ticks = new Set<() => void>()
  let interval: NodeJS.Timeout | undefined
  const stop = () => {
    if (interval !== undefined) clearInterval(interval)
    interval = undefined
  }
  return {
    add(tick) {
      ticks.add(tick)
      interval ??= setInterval(() => {
        for (const t of [...ticks]) t()
      }, intervalMs)
      return () => {
        ticks.delete(tick)
        if (ticks.size === 0) stop()
      }
    },
    dispose() {
      ticks.clear()
      stop()
    },
  }
}
