import { describe, expect, it } from 'vitest'
import { createAdaptiveTimeout, MULTIPLIER } from './adaptive-timeout.js'

describe('createAdaptiveTimeout', () => {
  it('uses the configured ceiling until 20 answers have been seen, then 4 x their p99', () => {
    const timeouts = createAdaptiveTimeout({ floorMs: 100, ceilingMs: 300_000 })
    expect(timeouts.timeoutFor('ocr')).toEqual({ ms: 300_000, p99Ms: undefined })
    for (let i = 0; i < 19; i++) timeouts.answered('ocr', 1000)
    expect(timeouts.timeoutFor('ocr').ms).toBe(300_000)
    timeouts.answered('ocr', 1000)
    expect(timeouts.timeoutFor('ocr')).toEqual({ ms: MULTIPLIER * 1000, p99Ms: 1000 })
    // A node with fewer answers of its own follows all the model's answers until it has 20.
    for (let i = 0; i < 5; i++) timeouts.answered('judge', 3000)
    expect(timeouts.timeoutFor('judge')).toEqual({ ms: MULTIPLIER * 3000, p99Ms: 3000 })
    for (let i = 0; i < 15; i++) timeouts.answered('judge', 500)
    expect(timeouts.timeoutFor('judge').p99Ms).toBe(3000)
    expect(timeouts.timeoutFor('ocr').p99Ms).toBe(1000)
  })

  it('uses the ceiling until the model has 20 answers in all', () => {
    const timeouts = createAdaptiveTimeout({ floorMs: 100, ceilingMs: 300_000 })
    for (let i = 0; i < 10; i++) timeouts.answered('a', 100)
    for (let i = 0; i < 9; i++) timeouts.answered('b', 100)
    expect(timeouts.timeoutFor('c').ms).toBe(300_000)
    timeouts.answered('b', 100)
    expect(timeouts.timeoutFor('c').ms).toBe(400)
  })

  it('follows the p99 of the recent answers, within the floor and the ceiling', () => {
    const timeouts = createAdaptiveTimeout({ floorMs: 2000, ceilingMs: 60_000 })
    for (let i = 1; i <= 100; i++) timeouts.answered('a', i * 10)
    // p99 of 10..1000 ms is 990 ms: 4 x 990 = 3960 ms.
    expect(timeouts.timeoutFor('a')).toEqual({ ms: 3960, p99Ms: 990 })
    for (let i = 0; i < 100; i++) timeouts.answered('b', 50)
    expect(timeouts.timeoutFor('b').ms).toBe(2000)
    for (let i = 0; i < 100; i++) timeouts.answered('c', 40_000)
    expect(timeouts.timeoutFor('c').ms).toBe(60_000)
  })

  it('forgets old latencies: the last 256 answers count', () => {
    const timeouts = createAdaptiveTimeout({ floorMs: 1, ceilingMs: 1_000_000 })
    for (let i = 0; i < 300; i++) timeouts.answered('a', 10_000)
    for (let i = 0; i < 256; i++) timeouts.answered('a', 100)
    expect(timeouts.timeoutFor('a').p99Ms).toBe(100)
  })

  it('falls back to the ceiling while more than 10% of recent attempts time out (a slow server, not a hang)', () => {
    const timeouts = createAdaptiveTimeout({ floorMs: 100, ceilingMs: 300_000 })
    for (let i = 0; i < 64; i++) timeouts.answered('a', 500)
    // One hang in 64 attempts: still adaptive.
    timeouts.timedOut('a')
    expect(timeouts.timeoutFor('a').ms).toBe(2000)
    for (let i = 0; i < 6; i++) timeouts.timedOut('a')
    expect(timeouts.timeoutFor('a')).toEqual({ ms: 300_000, p99Ms: undefined })
    // Answers at the new speed push the timeouts out of the window: adaptive again, from them.
    for (let i = 0; i < 64; i++) timeouts.answered('a', 5000)
    expect(timeouts.timeoutFor('a').ms).toBe(20_000)
  })
})
