import { describe, expect, it } from 'vitest'
import { createLruCache } from './lru-cache.js'

describe('createLruCache', () => {
  const bytes = (size: number) => new Uint8Array(size)

  it('evicts the least recently used values to stay within the weight bound', () => {
    const evicted: number[] = []
    const cache = createLruCache<string, Uint8Array>({
      maxWeight: 100,
      weigh: (value) => value.byteLength,
      onEvict: (value) => evicted.push(value.byteLength),
    })
    cache.set('a', bytes(40))
    cache.set('b', bytes(30))
    cache.get('a') // a is now more recent than b
    cache.set('c', bytes(50))
    expect(cache.has('b')).toBe(false)
    expect(cache.has('a') && cache.has('c')).toBe(true)
    expect(cache.weight).toBe(90)
    expect(cache.evictions).toBe(1)
    expect(evicted).toEqual([30])
  })

  it('does not store a value heavier than the bound, and keeps the others', () => {
    const cache = createLruCache<string, Uint8Array>({ maxWeight: 10, weigh: (value) => value.byteLength })
    cache.set('small', bytes(5))
    cache.set('huge', bytes(11))
    expect(cache.has('huge')).toBe(false)
    expect(cache.get('small')?.byteLength).toBe(5)
  })

  it('replaces a value under the same key without counting it twice', () => {
    const cache = createLruCache<string, Uint8Array>({ maxWeight: 10, weigh: (value) => value.byteLength })
    cache.set('k', bytes(6))
    cache.set('k', bytes(8))
    expect(cache.weight).toBe(8)
    expect(cache.size).toBe(1)
    expect(cache.evictions).toBe(0)
  })

  it('bounds the number of entries when no weight function is given', () => {
    const cache = createLruCache<number, string>({ maxWeight: 3 })
    for (let i = 0; i < 5; i++) cache.set(i, String(i))
    expect([...Array(5).keys()].filter((i) => cache.has(i))).toEqual([2, 3, 4])
  })
})
