import { describe, expect, it } from 'vitest'
import { parsePath, readPath } from './path.js'

describe('paths', () => {
  it('reads own properties and array indices only', () => {
    const scope = { item: { tags: ['a', 'b'], nested: { x: 1 } } }
    expect(readPath(scope, parsePath('item.nested.x'))).toBe(1)
    expect(readPath(scope, parsePath('item.tags.1'))).toBe('b')
    expect(readPath(scope, parsePath('item.missing.deep'))).toBeUndefined()
    expect(readPath(scope, parsePath('item.toString'))).toBeUndefined()
  })

  it('refuses prototype-touching and empty segments', () => {
    expect(() => parsePath('item.__proto__')).toThrow(/not allowed/)
    expect(() => parsePath('constructor.prototype')).toThrow(/not allowed/)
    expect(() => parsePath('item..x')).toThrow(/empty segment/)
  })
})
