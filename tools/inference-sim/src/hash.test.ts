import { describe, expect, it } from 'vitest'
import { requestContentHash } from './hash.js'

describe('requestContentHash', () => {
  const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }

  it('ignores key order and the delivery fields stream / stream_options', () => {
    const reordered = {
      max_tokens: 5,
      messages: [{ content: 'hi', role: 'user' }],
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
    }
    expect(requestContentHash(reordered)).toBe(requestContentHash(body))
  })

  it('changes with the model, the messages and any other parameter', () => {
    const base = requestContentHash(body)
    expect(requestContentHash({ ...body, model: 'other' })).not.toBe(base)
    expect(requestContentHash({ ...body, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(base)
    expect(requestContentHash({ ...body, temperature: 0 })).not.toBe(base)
    expect(requestContentHash({ ...body, max_tokens: 6 })).not.toBe(base)
  })

  it('does not confuse strings that differ only in how they would be split', () => {
    expect(requestContentHash({ a: 'x', b: 'yz' })).not.toBe(requestContentHash({ a: 'xy', b: 'z' }))
    expect(requestContentHash({ a: ['1', 2] })).not.toBe(requestContentHash({ a: [1, '2'] }))
    expect(requestContentHash({ a: null })).not.toBe(requestContentHash({ a: 'null' }))
  })
})
