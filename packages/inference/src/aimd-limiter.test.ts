import { describe, expect, it } from 'vitest'
import { createAimdLimiter, type LimitChange } from './aimd-limiter.js'

/** A seeded random source (mulberry32), so the "random" faults below are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('createAimdLimiter', () => {
  it('ignores a few overload answers in a round trip: random 429s are not overload', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 64, initial: 32 })
    for (let i = 0; i < 4; i++) expect(limiter.onOverload(limiter.epoch)).toBe(false)
    for (let i = 0; i < 28; i++) limiter.onSuccess(limiter.epoch)
    // A round trip with 4 of 32 answers overloaded (12.5%) counts as healthy: one slot more.
    expect(limiter.limit).toBe(33)
    expect(limiter.stats().decreases).toBe(0)
  })

  it('decreases once when overload answers pass 15% of a round trip, and not again for that round trip', () => {
    const changes: LimitChange[] = []
    const limiter = createAimdLimiter({ floor: 4, ceiling: 64, initial: 32, onChange: (c) => changes.push(c) })
    const admitted = limiter.epoch
    // 32 in flight: 5 of them 429 (> 4.8): one decrease by 0.7.
    expect([1, 2, 3, 4].map(() => limiter.onOverload(admitted))).toEqual([false, false, false, false])
    expect(limiter.onOverload(admitted)).toBe(true)
    expect(limiter.limit).toBe(22)
    // The rest of that round trip (admitted before the decrease) cannot decrease it again.
    for (let i = 0; i < 20; i++) expect(limiter.onOverload(admitted)).toBe(false)
    expect(limiter.limit).toBe(22)
    expect(changes).toEqual([{ from: 32, to: 22, reason: 'overload', overloads: 5, answers: 5 }])
  })

  it('recovers half the gap per healthy round trip, then probes one slot at a time', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 40, initial: 32 })
    for (let i = 0; i < 5; i++) limiter.onOverload(limiter.epoch)
    expect(limiter.limit).toBe(22)
    const roundTrip = () => {
      const epoch = limiter.epoch
      for (let i = limiter.limit; i > 0; i--) limiter.onSuccess(epoch)
    }
    const seen: number[] = []
    for (let i = 0; i < 6; i++) {
      roundTrip()
      seen.push(limiter.limit)
    }
    // 22 -> 27 -> 30 -> 31 -> 32 (back where it was), then +1 per round trip.
    expect(seen).toEqual([27, 30, 31, 32, 33, 34])
  })

  it('does not collapse under 5% random 500s and 5% random 429s (seeded, 2,000 round trips)', () => {
    const random = seeded(9)
    const limiter = createAimdLimiter({ floor: 1, ceiling: 64, initial: 64 })
    let sum = 0
    const rounds = 2000
    for (let round = 0; round < rounds; round++) {
      const epoch = limiter.epoch
      for (let i = limiter.limit; i > 0; i--) {
        const draw = random()
        // 5% 500s are neutral for the limit (released as such by the pool): nothing to report.
        if (draw < 0.05) continue
        if (draw < 0.1) limiter.onOverload(epoch)
        else limiter.onSuccess(epoch)
      }
      sum += limiter.limit
    }
    // Halving on every 429 (the old rule) ends at the floor; this stays at the ceiling.
    expect(limiter.stats().min).toBeGreaterThanOrEqual(44)
    expect(sum / rounds).toBeGreaterThan(63)
  })

  it('follows a real overload down: a server that refuses half of the requests', () => {
    const limiter = createAimdLimiter({ floor: 2, ceiling: 64, initial: 64 })
    for (let round = 0; round < 10; round++) {
      const epoch = limiter.epoch
      for (let i = limiter.limit; i > 0; i--) {
        if (i % 2 === 0) limiter.onOverload(epoch)
        else limiter.onSuccess(epoch)
      }
    }
    expect(limiter.limit).toBeLessThanOrEqual(4)
    expect(limiter.stats().decreases).toBeGreaterThanOrEqual(8)
  })

  it('clamps the initial limit to [floor, ceiling]', () => {
    expect(createAimdLimiter({ floor: 2, ceiling: 10, initial: 50 }).limit).toBe(10)
    expect(createAimdLimiter({ floor: 2, ceiling: 10, initial: 0 }).limit).toBe(2)
  })

  it('in metrics mode shrinks by the excess waiting requests, grows only when saturated, and does not probe', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 100, initial: 60, maxWaitingRatio: 0.1 })
    // 40 running, 20 waiting: 4 waiting allowed, 16 too many.
    limiter.onServerLoad({ running: 40, waiting: 20 }, { inFlight: 60, saturated: true })
    expect(limiter.limit).toBe(44)
    // Readings replace probing: healthy round trips do not add slots.
    for (let i = 0; i < 500; i++) limiter.onSuccess(limiter.epoch)
    expect(limiter.limit).toBe(44)
    limiter.onServerLoad({ running: 40, waiting: 2 }, { inFlight: 44, saturated: false })
    expect(limiter.limit).toBe(44)
    limiter.onServerLoad({ running: 40, waiting: 2 }, { inFlight: 44, saturated: true })
    expect(limiter.limit).toBe(46)
    limiter.onServerLoadLost()
    for (let i = 0; i < 46; i++) limiter.onSuccess(limiter.epoch)
    expect(limiter.limit).toBe(47)
    // Steering is not counted as an overload decrease, but every change is.
    expect(limiter.stats()).toMatchObject({ decreases: 0, changes: 3 })
  })

  it('in metrics mode shrinks from what is actually in flight, not from an unused limit', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 256, initial: 256 })
    limiter.onServerLoad({ running: 50, waiting: 15 }, { inFlight: 65, saturated: false })
    expect(limiter.limit).toBe(65 - (15 - 5))
  })
})
