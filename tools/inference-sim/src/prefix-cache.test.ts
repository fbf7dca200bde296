import { describe, expect, it } from 'vitest'
import { createPrefixCache } from './prefix-cache.js'

const block = (hash: string, tokens: number) => ({ hash, tokens })

describe('createPrefixCache', () => {
  it('counts only the leading run of cached blocks', () => {
    const cache = createPrefixCache(1000)
    cache.insert([block('a', 100), block('ab', 10)])
    expect(cache.match([block('a', 100), block('ab', 10), block('abc', 5)])).toBe(110)
    expect(cache.match([block('x', 100), block('ab', 10)])).toBe(0)
  })

  it('evicts the least recently used blocks beyond its token capacity', () => {
    const cache = createPrefixCache(250)
    cache.insert([block('a', 100)])
    cache.insert([block('b', 100)])
    cache.match([block('a', 100)]) // a is now more recent than b
    cache.insert([block('c', 100)])
    expect(cache.tokens).toBeLessThanOrEqual(250)
    expect(cache.match([block('a', 100)])).toBe(100)
    expect(cache.match([block('b', 100)])).toBe(0)
    expect(cache.match([block('c', 100)])).toBe(100)
  })

  it('never holds a block larger than the whole cache, and clears', () => {
    const cache = createPrefixCache(50)
    cache.insert([block('huge', 51)])
    expect(cache.match([block('huge', 51)])).toBe(0)
    cache.insert([block('small', 10)])
    cache.clear()
    expect(cache.tokens).toBe(0)
    expect(cache.match([block('small', 10)])).toBe(0)
  })
})
