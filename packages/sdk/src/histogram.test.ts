import { describe, expect, it } from 'vitest'
import { createHistogram } from './histogram.js'

describe('createHistogram', () => {
  it('gives percentiles within 2% on a known distribution', () => {
    const histogram = createHistogram()
    for (let value = 1; value <= 10_000; value++) histogram.record(value)
    expect(histogram.count).toBe(10_000)
    expect(histogram.percentile(0.5) / 5000).toBeCloseTo(1, 1)
    expect(Math.abs(histogram.percentile(0.95) - 9500) / 9500).toBeLessThan(0.02)
    expect(Math.abs(histogram.percentile(0.99) - 9900) / 9900).toBeLessThan(0.02)
    expect(histogram.max).toBe(10_000)
    expect(histogram.summary().mean).toBe(5000.5)
  })

  it('keeps sub-millisecond resolution and ignores invalid values', () => {
    const histogram = createHistogram()
    for (let i = 0; i < 100; i++) histogram.record(0.25)
    histogram.record(Number.NaN)
    histogram.record(-1)
    expect(histogram.count).toBe(100)
    expect(Math.abs(histogram.percentile(0.5) - 0.25) / 0.25).toBeLessThan(0.02)
  })

  it('is zero when empty', () => {
    expect(createHistogram().summary()).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 })
  })
})
