import { describe, expect, it } from 'vitest'
import type { ChatRequest } from '@dataflow/sdk'
import { toBodySkeleton } from './chat-body.js'
import { canonicalJson, requestCacheKey } from './request-cache.js'
import { resolveModelConfig } from './resolve-model-config.js'

const model = resolveModelConfig('vlm', { baseURL: 'http://h/v1', model: 'Qwen/VL', defaults: { temperature: 0 } })
const image = (hash: string) => ({
  kind: 'image' as const,
  hash,
  mime: 'image/jpeg' as const,
  width: 1,
  height: 1,
  source: '/x.jpg',
  policy: 'p',
})

function keyOf(text: string, hash = 'h1', extra: Record<string, unknown> = {}): string {
  return keyOfRequest({
    model: 'vlm',
    extra,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', image: image(hash) },
          { type: 'text', text },
        ],
      },
    ],
  })
}

/** The key exactly as the client computes it: from the body skeleton, response_format apart. */
function keyOfRequest(request: ChatRequest, responseFormat?: unknown, config = model): string {
  const { body } = toBodySkeleton(request, config, responseFormat)
  const { model: served, messages, response_format: _format, ...params } = body
  return requestCacheKey({ model: served, messages, params, responseFormat })
}

describe('requestCacheKey', () => {
  it('is a sha256 of the content, stable across runs and key order', () => {
    expect(keyOf('describe')).toMatch(/^[0-9a-f]{64}$/)
    expect(keyOf('describe')).toBe(keyOf('describe'))
    expect(requestCacheKey({ model: 'm', messages: [], params: { a: 1, b: 2 } })).toBe(
      requestCacheKey({ model: 'm', messages: [], params: { b: 2, a: 1 } }),
    )
  })

  it('changes with the prompt, the image content hash, the parameters and the schema', () => {
    const base = keyOf('describe')
    expect(keyOf('describe it')).not.toBe(base)
    expect(keyOf('describe', 'h2')).not.toBe(base)
    expect(keyOf('describe', 'h1', { top_k: 3 })).not.toBe(base)
    const withSchema = requestCacheKey({
      model: 'm',
      messages: [],
      params: {},
      responseFormat: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' } } },
    })
    expect(withSchema).not.toBe(requestCacheKey({ model: 'm', messages: [], params: {} }))
  })

  it('keys images by hash: the skeleton never holds pixels', () => {
    const { body } = toBodySkeleton(
      { model: 'vlm', messages: [{ role: 'user', content: [{ type: 'image', image: image('abc') }] }] },
      model,
    )
    expect(canonicalJson(body)).toContain('dataflow-media:image:abc')
    expect(canonicalJson(body)).not.toContain('base64')
  })

  it('covers everything that changes the answer: system prompt, temperature, max tokens, top_p, seed, stop, schema, served model', () => {
    const user = {
      role: 'user' as const,
      content: [
        { type: 'image' as const, image: image('h1') },
        { type: 'text' as const, text: 'describe' },
      ],
    }
    const base: ChatRequest = {
      model: 'vlm',
      messages: [{ role: 'system', content: 'You are terse.' }, user],
      temperature: 0,
      maxTokens: 64,
    }
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    const format = (inner: unknown) => ({
      type: 'json_schema',
      json_schema: { name: 'x', schema: inner, strict: true },
    })
    const keys = [
      keyOfRequest(base),
      keyOfRequest({ ...base, messages: [{ role: 'system', content: 'You are verbose.' }, user] }),
      keyOfRequest({ ...base, messages: [user] }),
      keyOfRequest({ ...base, temperature: 0.7 }),
      keyOfRequest({ ...base, maxTokens: 65 }),
      keyOfRequest({ ...base, topP: 0.9 }),
      keyOfRequest({ ...base, seed: 7 }),
      keyOfRequest({ ...base, stop: ['\n'] }),
      keyOfRequest(base, format(schema)),
      keyOfRequest(base, format({ ...schema, required: ['a'] })),
      keyOfRequest(base, { type: 'json_object' }),
      keyOfRequest(
        base,
        undefined,
        resolveModelConfig('vlm', { baseURL: 'http://h/v1', model: 'Qwen/VL-2', defaults: { temperature: 0 } }),
      ),
    ]
    expect(new Set(keys).size).toBe(keys.length)
    // The model's defaults count as sent: a default temperature equals an explicit one.
    const explicit = keyOfRequest({ model: 'vlm', messages: [user], temperature: 0 })
    expect(keyOfRequest({ model: 'vlm', messages: [user] })).toBe(explicit)
  })

  it('ignores what does not reach the model: endpoints, the logical model name, image source path and policy label', () => {
    const request: ChatRequest = {
      model: 'vlm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image: image('h1') },
            { type: 'text', text: 'q' },
          ],
        },
      ],
    }
    const elsewhere = resolveModelConfig('captioner', {
      endpoints: ['http://a/v1', 'http://b/v1'],
      model: 'Qwen/VL',
      defaults: { temperature: 0 },
      maxConcurrency: 3,
    })
    expect(keyOfRequest(request, undefined, elsewhere)).toBe(keyOfRequest(request))
    const moved = { ...image('h1'), source: '/elsewhere/renamed.jpg', policy: 'relabelled' }
    expect(
      keyOfRequest({
        model: 'vlm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: moved },
              { type: 'text', text: 'q' },
            ],
          },
        ],
      }),
    ).toBe(keyOfRequest(request))
  })

  it('a prompt edit in one request changes only that key', () => {
    const request = (text: string): ChatRequest => ({
      model: 'vlm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image: image('h1') },
            { type: 'text', text },
          ],
        },
      ],
    })
    const before = {
      ocr: keyOfRequest(request('Read the text.')),
      summary: keyOfRequest(request('Summarise the notes.')),
    }
    const after = {
      ocr: keyOfRequest(request('Read the text.')),
      summary: keyOfRequest(request('Summarise the notes in one paragraph.')),
    }
    expect(after.ocr).toBe(before.ocr)
    expect(after.summary).not.toBe(before.summary)
  })
})
