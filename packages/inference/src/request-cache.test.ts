import { describe, expect, it } from 'vitest'
import { toBodySkeleton } from './chat-body.js'
import { canonicalJson, requestCacheKey } from './request-cache.js'
import { resolveModelConfig } from './resolve-model-config.js'

const model = resolveModelConfig('vlm', { baseURL: 'http://h/v1', model: 'Qwen/VL', defaults: { temperature: 0 } })
const image = (hash: string) => ({ kind: 'image' as const, hash, mime: 'image/jpeg' as const, width: 1, height: 1, source: '/x.jpg', policy: 'p' })

function keyOf(text: string, hash = 'h1', extra: Record<string, unknown> = {}): string {
  const { body } = toBodySkeleton({ model: 'vlm', extra, messages: [{ role: 'user', content: [{ type: 'image', image: image(hash) }, { type: 'text', text }] }] }, model)
  const { model: served, messages, ...params } = body
  return requestCacheKey({ model: served, messages, params })
}

describe('requestCacheKey', () => {
  it('is a sha256 of the content, stable across runs and key order', () => {
    expect(keyOf('describe')).toMatch(/^[0-9a-f]{64}$/)
    expect(keyOf('describe')).toBe(keyOf('describe'))
    expect(requestCacheKey({ model: 'm', messages: [], params: { a: 1, b: 2 } })).toBe(requestCacheKey({ model: 'm', messages: [], params: { b: 2, a: 1 } }))
  })

  it('changes with the prompt, the image content hash, the parameters and the schema', () => {
    const base = keyOf('describe')
    expect(keyOf('describe it')).not.toBe(base)
    expect(keyOf('describe', 'h2')).not.toBe(base)
    expect(keyOf('describe', 'h1', { top_k: 3 })).not.toBe(base)
    const withSchema = requestCacheKey({ model: 'm', messages: [], params: {}, responseFormat: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' } } } })
    expect(withSchema).not.toBe(requestCacheKey({ model: 'm', messages: [], params: {} }))
  })

  it('keys images by hash: the skeleton never holds pixels', () => {
    const { body } = toBodySkeleton({ model: 'vlm', messages: [{ role: 'user', content: [{ type: 'image', image: image('abc') }] }] }, model)
    expect(canonicalJson(body)).toContain('dataflow-media:image:abc')
    expect(canonicalJson(body)).not.toContain('base64')
  })
})
