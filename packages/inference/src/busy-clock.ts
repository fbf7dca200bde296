/**
 * Wall time during which the server was working for us: the union of the intervals of the
 * attempts it answered. What a self-hosted model is charged for. An attempt that got no answer
 * (timed out on a hung connection, cancelled, connection refused) adds nothing: waiting on a
 * connection costs no GPU time.
 */
export interface BusyClock {
  /** An attempt starts; pass the returned start time to {@link BusyClock.stop}. */
  start(): number
  /** The attempt that started at `startedAt` ended; `answered` when the server answered it (any status). */
  stop(startedAt: number, answered: boolean): void
  /** Busy milliseconds of the attempts ended so far. */
  busyMs(): number
}

/** Holes in the union that a later, longer attempt may still fill (older ones are dropped). */
const MAX_GAPS = 64

export function createBusyClock(now: () => number): BusyClock {
  let total = 0
  /** End of the latest answered attempt: the union covers nothing after it. */
  let coveredUntil: number | undefined
  /** Holes of the union, oldest first, as [from, to). */
  const gaps: Array<[number, number]> = []
  /** Adds [from, to) minus the union to the total, and fills those parts of the holes. */
  const fill = (from: number, to: number) => {
    for (let index = gaps.length - 1; index >= 0; index--) {
      const gap = gaps[index]!
      if (gap[1] <= from) break
      const start = Math.max(gap[0], from)
      const end = Math.min(gap[1], to)
      if (end <= start) continue
      total += end - start
      if (start === gap[0] && end === gap[1]) gaps.splice(index, 1)
      else if (start === gap[0]) gap[0] = end
      else if (end === gap[1]) gap[1] = start
      else {
        gaps.splice(index + 1, 0, [end, gap[1]])
        gap[1] = start
      }
    }
  }
  return {
    start: now,
    stop(startedAt, answered) {
      if (!answered) return
      const end = now()
      if (coveredUntil === undefined) {
        total += end - startedAt
      } else if (startedAt >= coveredUntil) {
        if (startedAt > coveredUntil) gaps.push([coveredUntil, startedAt])
        if (gaps.length > MAX_GAPS) gaps.shift()
        total += end - startedAt
      } else {
        fill(startedAt, coveredUntil)
        total += Math.max(0, end - coveredUntil)
      }
      coveredUntil = end
    },
    busyMs: () => total,
  }
}
