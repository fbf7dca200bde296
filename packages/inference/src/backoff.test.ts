import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff.js'
import { parseRetryAfter } from './retry-after.js'

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 }
  it('draws from [0, base x 2^(retry-1)) capped at maxMs (full jitter)', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, options, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ])
    expect(backoffDelay(3, options, () => 0)).toBe(0)
    expect(backoffDelay(3, options, () => 0.5)).toBe(200)
  })
})

describe('parseRetryAfter', () => {
  const headers = (entries: Record<string, string>) => new Headers(entries)
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter(headers({ 'retry-after': '2' }))).toBe(2000)
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250)
    const wall = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), () => wall)).toBe(3000)
  })
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter(headers({}))).toBeUndefined()
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }))).toBeUndefined()
  })
})
