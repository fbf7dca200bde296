import { afterEach, describe, expect, it } from 'vitest'
import { isDataflowError, type DataflowError } from '@dataflow/sdk'
import { startFaultServer, takeContractViolations, type FaultServer, type Reply } from '../test-support/fault-server.js'
import { checkChatRequest } from '../test-support/openai-contract.js'
import { createTestService, fast, testImage, type TestService } from '../test-support/test-service.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  // Every body the engine sent, in every test, conforms to the official OpenAI request schema.
  expect(takeContractViolations()).toEqual([])
})

async function setup(
  script: (index: number) => Reply,
  config: Record<string, unknown> = {},
): Promise<{ server: FaultServer; test: TestService }> {
  const server = await startFaultServer((_request, index) => script(index))
  const test = createTestService({ vlm: { baseURL: server.url, model: 'Qwen/VL', ...fast, ...config } })
  cleanups.push(
    () => server.close(),
    () => test.service.close(),
  )
  return { server, test }
}

const failureOf = async (promise: Promise<unknown>): Promise<DataflowError> => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!isDataflowError(error)) throw new Error(`expected a DataflowError, got ${String(error)}`)
  return error
}

const ask = (test: TestService, text = 'Describe the image.') =>
  test.client().chat({
    model: 'vlm',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', image: testImage('abc') },
          { type: 'text', text },
        ],
      },
    ],
  })

describe('inference service over HTTP: fault scripts', () => {
  it('the contract check is not vacuous: it refuses bodies the OpenAI schema refuses', () => {
    expect(checkChatRequest({ model: 'm', messages: [] })).toBeDefined()
    expect(
      checkChatRequest({
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'video_url', video_url: { url: 'x' } }] }],
      }),
    ).toBeDefined()
    expect(
      checkChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, top_k: 3 }),
    ).toBeUndefined()
  })

  it('sends a valid OpenAI body (image as data URL) and accounts the answer', async () => {
    const { server, test } = await setup(() => ({ kind: 'ok', text: 'a cat', promptTokens: 120, completionTokens: 7 }))
    const result = await test.client('route').chat({
      model: 'vlm',
      maxTokens: 64,
      temperature: 0,
      extra: { top_k: 5 },
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'image', image: testImage('abc') },
            { type: 'text', text: 'What is it?' },
          ],
        },
      ],
    })
    expect(result).toMatchObject({
      text: 'a cat',
      attempts: 1,
      cached: false,
      servedModel: 'Qwen/VL',
      usage: { promptTokens: 120, completionTokens: 7 },
    })
    const body = server.requests[0]!.body
    expect(checkChatRequest(body)).toBeUndefined()
    expect(body).toMatchObject({ model: 'Qwen/VL', max_tokens: 64, temperature: 0, top_k: 5 })
    const content = (body['messages'] as { content: { type: string; image_url?: { url: string } }[] }[])[1]!.content
    expect(content[0]!.image_url!.url).toBe(`data:image/jpeg;base64,${Buffer.from('bytes of abc').toString('base64')}`)
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer EMPTY')
    const report = test.service.report()
    expect(report.nodes['route']!['vlm']).toMatchObject({
      requests: 1,
      attempts: 1,
      retries: 0,
      promptTokens: 120,
      completionTokens: 7,
    })
  })

  it('429 with Retry-After pauses the endpoint, halves the limit, then succeeds', async () => {
    const { server, test } = await setup(
      (index) => (index === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : { kind: 'ok' }),
      // Retry-After is honoured up to backoff.maxMs.
      { maxConcurrency: 4, backoff: { baseMs: 5, maxMs: 5000 } },
    )
    const results = await Promise.all([ask(test), ask(test), ask(test), ask(test)])
    expect(results.map((result) => result.attempts).sort()).toEqual([1, 1, 1, 2])
    const rejectedAt = server.requests[0]!.receivedAt
    // Requests sent after the 429 waited for the pause (timers never fire early by more than a tick).
    const later = server.requests.slice(4)
    expect(later).toHaveLength(1)
    expect(later[0]!.receivedAt - rejectedAt).toBeGreaterThanOrEqual(950)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(endpoint.pool.pauses).toBe(1)
    expect(endpoint.limit.decreases).toBe(1)
    expect(endpoint.limit.min).toBe(2)
  })

  it('500 then success: retried, counted as a retry', async () => {
    const { server, test } = await setup((index) =>
      index === 0 ? { kind: 'status', status: 500 } : { kind: 'ok', text: 'fine' },
    )
    const result = await ask(test)
    expect(result).toMatchObject({ text: 'fine', attempts: 2 })
    expect(server.requests).toHaveLength(2)
    expect(test.service.report().models['vlm']).toMatchObject({ requests: 1, attempts: 2, retries: 1 })
  })

  it('a hanging server times out each attempt, then fails with DATAFLOW_INFERENCE_TIMEOUT', async () => {
    const { server, test } = await setup(() => ({ kind: 'hang' }), { timeoutMs: 150, retries: 1 })
    const error = await failureOf(ask(test))
    expect(error.code).toBe('DATAFLOW_INFERENCE_TIMEOUT')
    expect(error.details).toMatchObject({ attempts: 2, endpoint: new URL(server.url).host, model: 'vlm', status: null })
    expect(server.requests).toHaveLength(2)
    expect(test.service.report().models['vlm']!.errors).toEqual({ DATAFLOW_INFERENCE_TIMEOUT: 1 })
  })

  it("the caller's abort cancels an in-flight request at once and frees its slot", async () => {
    const { server, test } = await setup((index) => (index === 0 ? { kind: 'hang' } : { kind: 'ok', text: 'next' }), {
      maxConcurrency: 1,
    })
    const controller = new AbortController()
    const first = test
      .client('agent', 1, 0, controller.signal)
      .chat({ model: 'vlm', messages: [{ role: 'user', content: 'hang' }] })
    const second = ask(test)
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect((await failureOf(first)).code).toBe('DATAFLOW_INTERRUPTED')
    await expect(second).resolves.toMatchObject({ text: 'next', attempts: 1 })
    expect(server.requests).toHaveLength(2)
  })

  it('malformed JSON and non-completion bodies are server failures: retried', async () => {
    const { server, test } = await setup((index) =>
      index === 0
        ? { kind: 'malformed' }
        : index === 1
          ? { kind: 'not-a-completion' }
          : { kind: 'ok', text: 'finally' },
    )
    await expect(ask(test)).resolves.toMatchObject({ text: 'finally', attempts: 3 })
    expect(server.requests).toHaveLength(3)
  })

  it('malformed answers on every attempt end in DATAFLOW_INFERENCE_FAILED', async () => {
    const { test } = await setup(() => ({ kind: 'malformed' }), { retries: 1 })
    const error = await failureOf(ask(test))
    expect(error.code).toBe('DATAFLOW_INFERENCE_FAILED')
    expect(error.message).toMatch(/malformed JSON/)
  })

  it('400 is not retried: DATAFLOW_INFERENCE_REJECTED after one attempt', async () => {
    const { server, test } = await setup(() => ({
      kind: 'status',
      status: 400,
      body: { error: { message: 'max_tokens is too large', type: 'BadRequestError' } },
    }))
    const error = await failureOf(ask(test))
    expect(error).toMatchObject({ code: 'DATAFLOW_INFERENCE_REJECTED', retryable: false })
    expect(error.message).toContain('max_tokens is too large')
    expect(error.details).toMatchObject({ status: 400, attempts: 1 })
    expect(server.requests).toHaveLength(1)
  })

  it('404 names the served model in the hint', async () => {
    const { test } = await setup(() => ({
      kind: 'status',
      status: 404,
      body: { error: { message: 'The model `Qwen/VL` does not exist.' } },
    }))
    const error = await failureOf(ask(test))
    expect(error.hint).toContain('"Qwen/VL"')
  })

  it('never lets the API key reach errors, logs or the report', async () => {
    const key = 'sk-test-SECRET-1234567890abcdef'
    const server = await startFaultServer(() => ({
      kind: 'status',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${key}. Header was Bearer ${key}` } },
    }))
    const test = createTestService(
      { vlm: { baseURL: server.url, model: 'Qwen/VL', apiKeyEnv: 'VLM_KEY', ...fast } },
      { env: { VLM_KEY: key } },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    const error = await failureOf(ask(test))
    expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${key}`)
    expect(error.code).toBe('DATAFLOW_INFERENCE_REJECTED')
    expect(error.hint).toContain('VLM_KEY')
    const everything = [
      error.message,
      error.hint,
      JSON.stringify(error.toJSON()),
      JSON.stringify(test.service.report()),
      ...test.lines,
    ].join('\n')
    expect(everything).not.toContain('SECRET')
    expect(everything).toContain('[redacted]')
  })

  it('an unset apiKeyEnv variable sends the placeholder key and warns, naming the variable', async () => {
    const server = await startFaultServer(() => ({ kind: 'ok' }))
    const test = createTestService(
      { vlm: { baseURL: server.url, model: 'Qwen/VL', apiKeyEnv: 'NOPE_KEY', ...fast } },
      { env: {} },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await ask(test)
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer EMPTY')
    expect(test.lines.join('\n')).toContain('NOPE_KEY is not set')
  })

  it('a kept-alive connection the server dropped is retried at once, without backing off', async () => {
    const { server, test } = await setup((index) => (index === 1 ? { kind: 'reset' } : { kind: 'ok' }))
    await ask(test)
    const second = await ask(test)
    expect(second.attempts).toBe(2)
    expect(server.requests).toHaveLength(3)
    expect(test.service.report().models['vlm']!.endpoints[0]!.limit.decreases).toBe(0)
  })

  it('a connection dropped on a fresh socket counts as overload: the limit backs off', async () => {
    const { test } = await setup((index) => (index === 0 ? { kind: 'reset' } : { kind: 'ok' }))
    await expect(ask(test)).resolves.toMatchObject({ attempts: 2 })
    expect(test.service.report().models['vlm']!.endpoints[0]!.limit.decreases).toBe(1)
  })

  it('connection refused: DATAFLOW_INFERENCE_UNAVAILABLE with the system error code', async () => {
    const server = await startFaultServer(() => ({ kind: 'ok' }))
    const url = server.url
    await server.close()
    const test = createTestService({ vlm: { baseURL: url, model: 'm', ...fast, retries: 1 } })
    cleanups.push(() => test.service.close())
    const error = await failureOf(ask(test))
    expect(error.code).toBe('DATAFLOW_INFERENCE_UNAVAILABLE')
    expect(error.details).toMatchObject({ attempts: 2, cause: 'ECONNREFUSED' })
  })

  it('an unknown model name is DATAFLOW_MODEL_UNKNOWN listing the declared ones', async () => {
    const { test } = await setup(() => ({ kind: 'ok' }))
    const error = await failureOf(test.client().chat({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }))
    expect(error.code).toBe('DATAFLOW_MODEL_UNKNOWN')
    expect(error.message).toContain('declared: vlm')
    expect(test.client().hasModel('vlm')).toBe(true)
    expect(test.client().hasModel('gpt')).toBe(false)
  })
})
