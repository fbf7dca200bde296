import { describe, expect, it } from 'vitest'
import { createAimdLimiter } from './aimd-limiter.js'

describe('createAimdLimiter', () => {
  it('halves on overload, once per epoch, and never below the floor', () => {
    const limiter = createAimdLimiter({ floor: 4, ceiling: 64, initial: 64 })
    const epoch = limiter.epoch
    expect(limiter.onOverload(epoch)).toBe(true)
    expect(limiter.limit).toBe(32)
    // Requests admitted before the decrease report their 429s too: they must not halve again.
    expect(limiter.onOverload(epoch)).toBe(false)
    expect(limiter.limit).toBe(32)
    for (let i = 0; i < 10; i++) limiter.onOverload(limiter.epoch)
    expect(limiter.limit).toBe(4)
    // 64 -> 32 -> 16 -> 8 -> 4: four real decreases; overloads at the floor change nothing.
    expect(limiter.stats()).toMatchObject({ min: 4, max: 64, decreases: 4 })
  })

  it('grows by one per window of successes and stops at the ceiling', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 12, initial: 8 })
    for (let i = 0; i < 7; i++) limiter.onSuccess()
    expect(limiter.limit).toBe(8)
    limiter.onSuccess()
    expect(limiter.limit).toBe(9)
    for (let i = 0; i < 9; i++) limiter.onSuccess()
    expect(limiter.limit).toBe(10)
    for (let i = 0; i < 1000; i++) limiter.onSuccess()
    expect(limiter.limit).toBe(12)
  })

  it('clamps the initial limit to [floor, ceiling]', () => {
    expect(createAimdLimiter({ floor: 2, ceiling: 10, initial: 50 }).limit).toBe(10)
    expect(createAimdLimiter({ floor: 2, ceiling: 10, initial: 0 }).limit).toBe(2)
  })

  it('in metrics mode shrinks by the excess waiting requests and grows only when saturated', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 100, initial: 60, maxWaitingRatio: 0.1 })
    // 40 running, 20 waiting: 4 waiting allowed, 16 too many.
    limiter.onServerLoad({ running: 40, waiting: 20 }, { inFlight: 60, saturated: true })
    expect(limiter.limit).toBe(44)
    // Readings replace additive increase.
    for (let i = 0; i < 500; i++) limiter.onSuccess()
    expect(limiter.limit).toBe(44)
    limiter.onServerLoad({ running: 40, waiting: 2 }, { inFlight: 44, saturated: false })
    expect(limiter.limit).toBe(44)
    limiter.onServerLoad({ running: 40, waiting: 2 }, { inFlight: 44, saturated: true })
    expect(limiter.limit).toBe(46)
    limiter.onServerLoadLost()
    for (let i = 0; i < 46; i++) limiter.onSuccess()
    expect(limiter.limit).toBe(47)
  })

  it('in metrics mode shrinks from what is actually in flight, not from an unused limit', () => {
    const limiter = createAimdLimiter({ floor: 1, ceiling: 256, initial: 256 })
    limiter.onServerLoad({ running: 50, waiting: 15 }, { inFlight: 65, saturated: false })
    expect(limiter.limit).toBe(65 - (15 - 5))
  })
})
