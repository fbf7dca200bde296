import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './start-simulator.js'
import { assertValid, compileSchema, validateRequest } from './test-support/contract.js'
import { chat, chatStream, postJson, streamedText, user } from './test-support/http.js'
import { makePng, toDataUrl } from './test-support/images.js'

let sim: Simulator

beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.001, models: ['qwen2-vl', 'judge'], seed: 11, meanOutputTokens: 60 })
})
afterAll(() => sim.close())

const CAPTION_SCHEMA = {
  type: 'object',
  required: ['caption', 'quality'],
  properties: {
    caption: { type: 'string' },
    quality: { type: 'string', enum: ['good', 'fair', 'poor'] },
    objects: { type: 'array', minItems: 2, items: { type: 'string' } },
    score: { type: 'integer', minimum: 1, maximum: 10 },
  },
  additionalProperties: false,
}

/** Every request sent by these tests is itself checked against the official request schema. */
function request(body: Record<string, unknown>): Record<string, unknown> {
  assertValid(validateRequest, body, 'request')
  return body
}

describe('POST /v1/chat/completions', () => {
  it('answers with simulated text, usage and a finish reason', async () => {
    const body = request({
      model: 'qwen2-vl',
      messages: [{ role: 'system', content: 'Be brief.' }, user('Describe the image.')],
    })
    const completion = await chat(sim.url, body)
    const choice = completion.choices[0]!
    expect(choice.message.content.startsWith('[simulated]')).toBe(true)
    expect(choice.finish_reason).toBe('stop')
    expect((completion as { system_fingerprint?: string }).system_fingerprint).toBe('dataflow-sim')
    expect(completion.model).toBe('qwen2-vl')
    const { usage } = completion
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(30)
    expect(usage.completion_tokens).toBeLessThanOrEqual(90)
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens)
    expect(usage.prompt_tokens_details.cached_tokens).toBeGreaterThanOrEqual(0)
  })

  it('caps the answer at max_tokens / max_completion_tokens with finish_reason length', async () => {
    for (const key of ['max_tokens', 'max_completion_tokens']) {
      const completion = await chat(sim.url, request({ model: 'qwen2-vl', messages: [user('long please')], [key]: 5 }))
      expect(completion.choices[0]!.finish_reason).toBe('length')
      expect(completion.usage.completion_tokens).toBe(5)
    }
  })

  it('gives the same answer to the same request, streamed or not, and another to another request', async () => {
    const body = request({ model: 'qwen2-vl', messages: [user('same question')], temperature: 0.7 })
    const first = await chat(sim.url, body)
    const second = await chat(sim.url, body)
    const { chunks } = await chatStream(sim.url, body)
    const other = await chat(sim.url, { ...body, messages: [user('another question')] })
    expect(second.choices[0]!.message.content).toBe(first.choices[0]!.message.content)
    expect(streamedText(chunks)[0]).toBe(first.choices[0]!.message.content)
    expect(other.choices[0]!.message.content).not.toBe(first.choices[0]!.message.content)
  })

  it('streams SSE chunks that match the schema, with a final usage chunk when asked', async () => {
    const body = request({
      model: 'judge',
      messages: [user('stream it')],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 20,
    })
    const { chunks, headers } = await chatStream(sim.url, body)
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(last.usage!.completion_tokens).toBe(20)
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length')
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true)
    const { chunks: withoutUsage } = await chatStream(sim.url, { ...body, stream_options: { include_usage: false } })
    expect(withoutUsage.some((c) => c.usage !== undefined)).toBe(false)
  })

  it('returns JSON that satisfies a requested json_schema', async () => {
    const validate = compileSchema(CAPTION_SCHEMA)
    for (let i = 0; i < 5; i++) {
      const body = request({
        model: 'judge',
        messages: [user(`rate caption ${i}`)],
        response_format: { type: 'json_schema', json_schema: { name: 'rating', schema: CAPTION_SCHEMA, strict: true } },
      })
      const completion = await chat(sim.url, body)
      const value = JSON.parse(completion.choices[0]!.message.content) as Record<string, unknown>
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true)
      expect(String(value.caption)).toMatch(/^\[simulated\]/)
    }
  })

  it('returns a JSON object with a simulated text field for json_object', async () => {
    const completion = await chat(
      sim.url,
      request({ model: 'judge', messages: [user('json please')], response_format: { type: 'json_object' } }),
    )
    const value = JSON.parse(completion.choices[0]!.message.content) as { text: string }
    expect(value.text).toMatch(/^\[simulated\]/)
  })

  it('returns n choices', async () => {
    const completion = await chat(sim.url, request({ model: 'judge', messages: [user('two please')], n: 2 }))
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1])
    expect(completion.choices[0]!.message.content).not.toBe(completion.choices[1]!.message.content)
  })

  it('counts image tokens from the pixel size of data-URL images', async () => {
    const image = toDataUrl(makePng(280, 140), 'image/png')
    const text = request({ model: 'qwen2-vl', messages: [user([{ type: 'text', text: 'abcd' }])], max_tokens: 1 })
    const withImage = request({
      model: 'qwen2-vl',
      messages: [
        user([
          { type: 'image_url', image_url: { url: image } },
          { type: 'text', text: 'abcd' },
        ]),
      ],
      max_tokens: 1,
    })
    const a = await chat(sim.url, text)
    const b = await chat(sim.url, withImage)
    // 280x140 with 28 px patches: 10 x 5 = 50 tokens
    expect(b.usage.prompt_tokens - a.usage.prompt_tokens).toBe(50)
  })
})

describe('errors in vLLM shape', () => {
  it('answers 404 for an unknown model', async () => {
    const result = await postJson(`${sim.url}/chat/completions`, { model: 'gpt-nope', messages: [user('hi')] })
    expect(result.status).toBe(404)
    expect(JSON.parse(result.text)).toEqual({
      error: { message: 'The model `gpt-nope` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    })
  })

  it.each([
    ['invalid JSON', '{"model": '],
    ['no messages', { model: 'judge' }],
    ['empty messages', { model: 'judge', messages: [] }],
    ['a bad role', { model: 'judge', messages: [{ role: 'robot', content: 'x' }] }],
    ['max_tokens 0', { model: 'judge', messages: [user('x')], max_tokens: 0 }],
    [
      'stream_options without stream',
      { model: 'judge', messages: [user('x')], stream_options: { include_usage: true } },
    ],
    [
      'an unreadable image',
      { model: 'judge', messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }])] },
    ],
    [
      'a file URL',
      { model: 'judge', messages: [user([{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }])] },
    ],
    [
      'an unknown part type',
      { model: 'judge', messages: [user([{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }])] },
    ],
    ['a prompt over the context length', { model: 'judge', messages: [user('x'.repeat(200_000))] }],
    ['an unknown response_format', { model: 'judge', messages: [user('x')], response_format: { type: 'yaml' } }],
  ])('answers 400 for %s', async (_name, body) => {
    const result = await postJson(`${sim.url}/chat/completions`, body)
    expect(result.status).toBe(400)
    const error = (JSON.parse(result.text) as { error: { type: string; code: number; message: string } }).error
    expect(error.type).toBe('BadRequestError')
    expect(error.code).toBe(400)
    expect(error.message.length).toBeGreaterThan(10)
  })

  it('answers 404 and 405 for unknown routes and methods', async () => {
    expect((await fetch(`${sim.url}/completions/nothing`)).status).toBe(404)
    expect((await fetch(`${sim.url}/chat/completions`)).status).toBe(405)
  })
})

describe('GET /v1/models', () => {
  it('lists the served models', async () => {
    const list = (await (await fetch(`${sim.url}/models`)).json()) as {
      object: string
      data: { id: string; object: string }[]
    }
    expect(list.object).toBe('list')
    expect(list.data.map((m) => m.id)).toEqual(['qwen2-vl', 'judge'])
  })

  it('accepts any model name when none is configured', async () => {
    const open = await startSimulator({ timeScale: 0.001 })
    try {
      const completion = await chat(open.url, { model: 'whatever/Model-7B', messages: [user('hi')], max_tokens: 3 })
      expect(completion.model).toBe('whatever/Model-7B')
      const list = (await (await fetch(`${open.url}/models`)).json()) as { data: { id: string }[] }
      expect(list.data.map((m) => m.id)).toEqual(['dataflow-sim', 'whatever/Model-7B'])
    } finally {
      await open.close()
    }
  })
})

describe('streaming pace', () => {
  it('sends tokens progressively, in several chunks, as they are decoded', async () => {
    const slow = await startSimulator({ timeScale: 0.5, baseStepMs: 10, stepSlope: 0 })
    try {
      const body = { model: 'm', messages: [user('pace')], max_tokens: 60 }
      const { chunks } = await chatStream(slow.url, body)
      const withContent = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '')
      expect(withContent.length).toBeGreaterThanOrEqual(2)
      expect(streamedText(chunks)[0]).toBe((await chat(slow.url, body)).choices[0]!.message.content)
    } finally {
      await slow.close()
    }
  })
})
