import { describe, expect, it } from 'vitest'
import { createErrorRateGuard } from './error-rate-guard.js'

describe('createErrorRateGuard', () => {
  it('judges only after the minimum, over a sliding window', () => {
    const guard = createErrorRateGuard({ windowSize: 10, minRequests: 4, maxErrorRate: 0.75 })
    expect([true, true, true].map((failed) => guard.record(failed))).toEqual([false, false, false])
    expect(guard.record(true)).toBe(true)
    const fresh = createErrorRateGuard({ windowSize: 4, minRequests: 4, maxErrorRate: 0.75 })
    for (let i = 0; i < 20; i++) fresh.record(i % 2 === 0)
    // The window forgets old outcomes: 2 of the last 4 failed.
    expect(fresh.failures).toBe(2)
    expect(fresh.count).toBe(4)
  })
})
