import type { Clock } from '../clock.js'

/** Virtual time: timers fire only when the test advances the clock. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order (timers they set fire too if due). */
  advance(ms: number): void
  readonly pending: number
}

export function createManualClock(): ManualClock {
  let now = 0
  let nextId = 0
  const timers = new Map<number, { at: number; callback: () => void }>()
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    advance(ms) {
      const end = now + ms
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined
        for (const entry of timers)
          if (entry[1].at <= end && (due === undefined || entry[1].at < due[1].at)) due = entry
        if (due === undefined) break
        timers.delete(due[0])
        now = due[1].at
        due[1].callback()
      }
      now = end
    },
    get pending() {
      return timers.size
    },
  }
}
