import { describe, expect, it } from 'vitest'
import { materializeBody, toBodySkeleton } from './chat-body.js'
import { createDataUrlCache } from './data-url-cache.js'
import { resolveModelConfig } from './resolve-model-config.js'

const image = (hash: string) => ({
  kind: 'image' as const,
  hash,
  mime: 'image/png' as const,
  width: 1,
  height: 1,
  source: '/x.png',
  policy: 'p',
})

describe('toBodySkeleton', () => {
  const model = resolveModelConfig('vlm', {
    baseURL: 'http://h/v1',
    model: 'served',
    defaults: { temperature: 0.2, maxTokens: 100, extra: { top_k: 20, repetition_penalty: 1.05 } },
  })

  it('merges request parameters over the model defaults, extras first', () => {
    const { body } = toBodySkeleton(
      {
        model: 'vlm',
        maxTokens: 7,
        stop: [],
        seed: 3,
        extra: { top_k: 5, model: 'ignored' },
        messages: [{ role: 'user', content: 'hi' }],
      },
      model,
    )
    expect(body).toEqual({
      model: 'served',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 7,
      temperature: 0.2,
      top_k: 5,
      repetition_penalty: 1.05,
      seed: 3,
    })
  })

  it('joins text parts of system and assistant messages and refuses media there', () => {
    const { body } = toBodySkeleton(
      {
        model: 'vlm',
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      },
      model,
    )
    expect(body.messages).toEqual([{ role: 'system', content: 'a\nb' }])
    expect(() =>
      toBodySkeleton(
        { model: 'vlm', messages: [{ role: 'system', content: [{ type: 'image', image: image('x') }] }] },
        model,
      ),
    ).toThrow(/only user messages may carry images/)
  })
})

describe('materializeBody', () => {
  it('puts data URLs in place of references and shares one encoding per image', async () => {
    const model = resolveModelConfig('vlm', { baseURL: 'http://h/v1', model: 'served' })
    const resolved: string[] = []
    const cache = createDataUrlCache({
      resolveImage: async (ref) => {
        resolved.push(ref.hash)
        return new Uint8Array([1, 2, 3])
      },
      resolveVideo: async () => {
        throw new Error('no video')
      },
    })
    const skeleton = toBodySkeleton(
      {
        model: 'vlm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: image('a') },
              { type: 'image', image: image('a') },
              { type: 'text', text: 'same twice' },
            ],
          },
        ],
      },
      model,
    )
    const body = await materializeBody(skeleton, cache)
    expect(body.messages[0]!.content).toEqual([
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AQID' } },
      { type: 'text', text: 'same twice' },
    ])
    await materializeBody(skeleton, cache)
    expect(resolved).toEqual(['a'])
    expect(JSON.stringify(skeleton.body)).not.toContain('base64')
  })

  it('evicts the least recently used data URLs beyond the size bound', async () => {
    const resolved: string[] = []
    const cache = createDataUrlCache({
      resolveImage: async (ref) => {
        resolved.push(ref.hash)
        return new Uint8Array(30)
      },
      resolveVideo: async () => {
        throw new Error('no video')
      },
      maxChars: 130,
    })
    for (const hash of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.image(image(hash))
    // Each URL is 62 characters: two fit. 'b' was evicted by 'c' (a was used more recently).
    expect(resolved).toEqual(['a', 'b', 'c', 'b'])
    expect(cache.stats()).toMatchObject({ entries: 2, encoded: 4, hits: 2 })
  })
})
