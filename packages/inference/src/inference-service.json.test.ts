import { afterEach, describe, expect, it } from 'vitest'
import { isDataflowError, type JsonSchema, type VideoRef } from '@dataflow/sdk'
import { startFaultServer, takeContractViolations, type FaultServer, type Reply } from '../test-support/fault-server.js'
import { checkChatRequest } from '../test-support/openai-contract.js'
import { createTestService, fast, testImage, type TestService } from '../test-support/test-service.js'
import type { CachedAnswer, RequestCache } from './request-cache.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  // Every body the engine sent, in every test, conforms to the official OpenAI request schema.
  expect(takeContractViolations()).toEqual([])
})

async function setup(
  script: (index: number) => Reply,
  config: Record<string, unknown> = {},
  cache?: RequestCache,
): Promise<{ server: FaultServer; test: TestService }> {
  const server = await startFaultServer((_request, index) => script(index))
  const test = createTestService(
    { vlm: { baseURL: server.url, model: 'Qwen/VL', ...fast, ...config } },
    cache ? { cache } : {},
  )
  cleanups.push(
    () => server.close(),
    () => test.service.close(),
  )
  return { server, test }
}

const schema: JsonSchema = {
  type: 'object',
  required: ['domain', 'confidence'],
  additionalProperties: false,
  properties: {
    domain: { enum: ['document', 'nature', 'ui'] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
}

const route = (test: TestService) =>
  test.client('route').chatJson<{ domain: string }>({
    model: 'vlm',
    schema,
    schemaName: 'route.v1',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', image: testImage('img') },
          { type: 'text', text: 'Which domain?' },
        ],
      },
    ],
  })

function memoryCache(): RequestCache & { entries: Map<string, CachedAnswer>; gets: number } {
  const entries = new Map<string, CachedAnswer>()
  const cache = {
    entries,
    gets: 0,
    get: async (key: string) => {
      cache.gets++
      return entries.get(key)
    },
    set: async (key: string, answer: CachedAnswer) => {
      entries.set(key, answer)
    },
  }
  return cache
}

describe('chatJson over HTTP', () => {
  it('json_schema mode: strict response_format, tolerant extraction, ajv-validated value', async () => {
    const { server, test } = await setup(() => ({
      kind: 'ok',
      text: 'Sure! ```json\n{"domain": "ui", "confidence": 0.9}\n```',
    }))
    const result = await route(test)
    expect(result).toMatchObject({ value: { domain: 'ui', confidence: 0.9 }, reasked: false, attempts: 1 })
    const body = server.requests[0]!.body
    expect(checkChatRequest(body)).toBeUndefined()
    expect(body['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'route_v1', schema, strict: true },
    })
  })

  it('re-asks once with the bad answer and the validation error, then returns the corrected value', async () => {
    const { server, test } = await setup((index) => ({
      kind: 'ok',
      text: index === 0 ? '{"domain": "space", "confidence": 2}' : '{"domain": "nature", "confidence": 0.5}',
    }))
    const result = await route(test)
    expect(result).toMatchObject({
      value: { domain: 'nature' },
      reasked: true,
      attempts: 2,
      usage: { promptTokens: 20, completionTokens: 10 },
    })
    const messages = server.requests[1]!.body['messages'] as { role: string; content: string }[]
    expect(checkChatRequest(server.requests[1]!.body)).toBeUndefined()
    expect(messages.at(-2)).toEqual({ role: 'assistant', content: '{"domain": "space", "confidence": 2}' })
    expect(messages.at(-1)!.role).toBe('user')
    expect(messages.at(-1)!.content).toMatch(
      /does not match the schema: .*domain must be equal to one of the allowed values/,
    )
    expect(test.service.report().nodes['route']!['vlm']).toMatchObject({ requests: 2, reasks: 1 })
  })

  it('still invalid after the re-ask: DATAFLOW_OUTPUT_INVALID with the raw answer and the error', async () => {
    const { server, test } = await setup((index) => ({
      kind: 'ok',
      text: index === 0 ? 'I think it is a document.' : '{"domain": "document"}',
    }))
    const error = await route(test).catch((reason: unknown) => reason)
    expect(isDataflowError(error)).toBe(true)
    if (!isDataflowError(error)) return
    expect(error.code).toBe('DATAFLOW_OUTPUT_INVALID')
    expect(error.details).toMatchObject({
      raw: '{"domain": "document"}',
      validationError: expect.stringContaining("must have required property 'confidence'"),
      firstRaw: 'I think it is a document.',
    })
    expect(server.requests).toHaveLength(2)
    expect(test.service.report().models['vlm']!.errors).toEqual({ DATAFLOW_OUTPUT_INVALID: 1 })
  })

  it('json_object and none modes put the schema in the prompt after the media', async () => {
    for (const responseFormat of ['json_object', 'none'] as const) {
      const { server, test } = await setup(() => ({ kind: 'ok', text: '{"domain": "ui", "confidence": 1}' }), {
        responseFormat,
      })
      await route(test)
      const body = server.requests[0]!.body
      expect(checkChatRequest(body)).toBeUndefined()
      expect(body['response_format']).toEqual(responseFormat === 'json_object' ? { type: 'json_object' } : undefined)
      const content = (body['messages'] as { content: { type: string; text?: string }[] }[])[0]!.content
      expect(content[0]!.type).toBe('image_url')
      expect(content.at(-1)!.text).toContain('"required":["domain","confidence"]')
    }
  })
})

describe('request cache and media encoding', () => {
  it('answers a repeated request from the cache, marks it cached and accounts the saved tokens', async () => {
    const cache = memoryCache()
    const { server, test } = await setup(
      () => ({ kind: 'ok', text: 'a cat', promptTokens: 100, completionTokens: 9 }),
      {},
      cache,
    )
    const request = {
      model: 'vlm',
      temperature: 0,
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'image' as const, image: testImage('cat') },
            { type: 'text' as const, text: 'What?' },
          ],
        },
      ],
    }
    const first = await test.client('caption').chat(request)
    const second = await test.client('caption').chat(request)
    expect(first.cached).toBe(false)
    expect(second).toMatchObject({ text: 'a cat', cached: true, attempts: 0 })
    expect(server.requests).toHaveLength(1)
    const key = [...cache.entries.keys()][0]!
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify([...cache.entries.values()])).not.toContain('base64')
    await test.client('caption').chat({ ...request, temperature: 0.7 })
    expect(server.requests).toHaveLength(2)
    expect(test.service.report().nodes['caption']!['vlm']).toMatchObject({
      requests: 3,
      cachedAnswers: 1,
      savedPromptTokens: 100,
      savedCompletionTokens: 9,
      promptTokens: 200,
    })
  })

  it('chatJson caches only answers that validated', async () => {
    const cache = memoryCache()
    const { test } = await setup(
      (index) => ({ kind: 'ok', text: index === 0 ? 'nope' : '{"domain": "ui", "confidence": 0.1}' }),
      {},
      cache,
    )
    await route(test)
    expect(cache.entries.size).toBe(1)
    expect([...cache.entries.values()][0]!.text).toContain('"ui"')
  })

  it('four agents on one image encode it once', async () => {
    const { test } = await setup(() => ({ kind: 'ok', delayMs: 5 }))
    await Promise.all(
      ['ocr', 'chart', 'scene', 'ui'].map((node) =>
        test.client(node).chat({
          model: 'vlm',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', image: testImage('shared') },
                { type: 'text', text: node },
              ],
            },
          ],
        }),
      ),
    )
    expect(test.resolved).toEqual(['shared'])
  })

  it('video as labelled frames, or as one video_url part', async () => {
    const video: VideoRef = {
      kind: 'video',
      source: '/data/clip.mp4',
      durationSeconds: 2,
      width: 64,
      height: 64,
      fps: 25,
      frames: [testImage('f0', 0), testImage('f1', 1.25)],
    }
    const message = {
      role: 'user' as const,
      content: [
        { type: 'video' as const, video },
        { type: 'text' as const, text: 'What happens?' },
      ],
    }
    const { server, test } = await setup(() => ({ kind: 'ok' }))
    await test.client().chat({ model: 'vlm', messages: [message] })
    const body = server.requests[0]!.body
    expect(checkChatRequest(body)).toBeUndefined()
    const parts = (body['messages'] as { content: { type: string; text?: string }[] }[])[0]!.content
    expect(parts.map((part) => part.text ?? part.type)).toEqual([
      'Frame 1 at 0 s',
      'image_url',
      'Frame 2 at 1.25 s',
      'image_url',
      'What happens?',
    ])

    const videoServer = await startFaultServer(() => ({ kind: 'ok' }))
    const videoTest = createTestService(
      { vlm: { baseURL: videoServer.url, model: 'Qwen/VL', videoInput: 'video_url', ...fast } },
      { resolveVideo: async () => ({ bytes: new TextEncoder().encode('mp4 bytes'), mime: 'video/mp4' }) },
    )
    cleanups.push(
      () => videoServer.close(),
      () => videoTest.service.close(),
    )
    await videoTest.client().chat({ model: 'vlm', messages: [message] })
    const videoBody = videoServer.requests[0]!.body
    const videoParts = (videoBody['messages'] as { content: Record<string, unknown>[] }[])[0]!.content
    expect(videoParts[0]).toEqual({
      type: 'video_url',
      video_url: { url: `data:video/mp4;base64,${Buffer.from('mp4 bytes').toString('base64')}` },
    })
    // video_url is a vLLM extension the OpenAI schema does not know; everything else must conform.
    const asImage = structuredClone(videoBody)
    ;(asImage['messages'] as { content: unknown[] }[])[0]!.content[0] = {
      type: 'image_url',
      image_url: { url: 'data:image/jpeg;base64,AA==' },
    }
    expect(checkChatRequest(asImage)).toBeUndefined()
  })
})
