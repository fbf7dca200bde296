import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './start-simulator.js'
import { assertValid, validateChunk, validateResponse } from './test-support/contract.js'
import { makeJpegHeader, toDataUrl } from './test-support/images.js'

let sim: Simulator
let client: OpenAI

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.001, models: ['qwen2-vl'], meanOutputTokens: 50 })
  client = new OpenAI({ baseURL: sim.url, apiKey: 'not-needed', maxRetries: 0 })
})
afterAll(() => sim.close())

describe('the official openai client against the simulator', () => {
  it('creates a multimodal chat completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'qwen2-vl',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: toDataUrl(makeJpegHeader(560, 560), 'image/jpeg') } },
            { type: 'text', text: 'Caption this image.' },
          ],
        },
      ],
      max_tokens: 100,
    })
    assertValid(validateResponse, completion, 'completion')
    expect(completion.choices[0]!.message.content).toMatch(/^\[simulated\]/)
    // 560x560 with 28 px patches = 400 image tokens
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(400)
    expect(completion.usage!.prompt_tokens_details!.cached_tokens).toBe(0)
  })

  it('streams with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'qwen2-vl',
      messages: [{ role: 'user', content: 'Stream a caption.' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage: OpenAI.CompletionUsage | null | undefined
    let finish: string | null = null
    for await (const chunk of stream) {
      assertValid(validateChunk, chunk, 'chunk')
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      usage = chunk.usage ?? usage
    }
    expect(text).toMatch(/^\[simulated\]/)
    expect(finish).toBe('stop')
    expect(usage!.completion_tokens).toBeGreaterThan(0)
  })

  it('parses structured output with response_format json_schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'qwen2-vl',
      messages: [{ role: 'user', content: 'Route this image.' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'route',
          strict: true,
          schema: {
            type: 'object',
            required: ['domain'],
            properties: { domain: { type: 'string', enum: ['chart', 'doc', 'photo', 'ui', 'math'] } },
            additionalProperties: false,
          },
        },
      },
    })
    const value = JSON.parse(completion.choices[0]!.message.content!) as { domain: string }
    expect(['chart', 'doc', 'photo', 'ui', 'math']).toContain(value.domain)
  })

  it('raises NotFoundError for an unknown model', async () => {
    await expect(
      client.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining('does not exist') as unknown })
  })

  it('raises RateLimitError with the Retry-After headers on a 429', async () => {
    sim.setFaults({ rateLimitRate: 1, retryAfterSeconds: 2000 })
    try {
      const error = await client.chat.completions
        .create({ model: 'qwen2-vl', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.RateLimitError)
      const headers = (error as InstanceType<typeof OpenAI.RateLimitError>).headers
      // 2000 simulated seconds at time scale 0.001 = 2 real seconds
      expect(headers.get('retry-after')).toBe('2')
      expect(headers.get('retry-after-ms')).toBe('2000')
    } finally {
      sim.setFaults({ rateLimitRate: 0 })
    }
  })

  it('lists models', async () => {
    const models = await client.models.list()
    expect(models.data.map((m) => m.id)).toEqual(['qwen2-vl'])
  })
})
