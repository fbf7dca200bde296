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

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
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

  it('an isolated 429 delays only its own request for its Retry-After: no pause, no decrease', async () => {
    const { server, test } = await setup(
      (index) => (index === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : { kind: 'ok' }),
      // Retry-After is honoured up to backoff.maxMs.
      { maxConcurrency: 4, backoff: { baseMs: 5, maxMs: 5000 } },
    )
    const first = Promise.all([0, 1, 2, 3].map((index) => ask(test, `first ${index}`)))
    await until(() => server.requests.length >= 4)
    // Requests asked after the 429 go out at once: the endpoint is not paused.
    const later = await Promise.all([0, 1, 2, 3].map((index) => ask(test, `later ${index}`)))
    expect(later.map((result) => result.attempts)).toEqual([1, 1, 1, 1])
    const results = await first
    expect(results.map((result) => result.attempts).sort()).toEqual([1, 1, 1, 2])
    const texts = server.requests.map((request) => JSON.stringify(request.body['messages']))
    const retried = texts.findIndex((text, index) => index > 0 && text === texts[0])
    // The retry came after every later request, and not before the second the server asked for.
    expect(retried).toBe(8)
    expect(server.requests[retried]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(999)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(endpoint.pool.pauses).toBe(0)
    expect(endpoint.limit.decreases).toBe(0)
  })

  it('a burst of 429s in one round trip: one decrease and one pause of the asked length, each request retried once', async () => {
    const { server, test } = await setup(
      (index) =>
        index < 6 ? { kind: 'status', status: 429, headers: { 'retry-after-ms': '200' } } : { kind: 'ok', delayMs: 5 },
      { maxConcurrency: 20, backoff: { baseMs: 5, maxMs: 5000 } },
    )
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => ask(test, `burst ${index}`)))
    expect(results.map((result) => result.attempts).sort()).toEqual([...Array(14).fill(1), ...Array(6).fill(2)])
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    // 6 of 20 answers were 429 (over 15%): the limit went down once (20 -> 14), never again, and
    // the endpoint paused once, for the 200 ms the server asked.
    expect(endpoint.limit).toMatchObject({ decreases: 1, min: 14 })
    expect(endpoint.pool.pauses).toBe(1)
    expect(server.requests).toHaveLength(26)
    expect(test.lines.filter((line) => line.includes('concurrency limit lowered'))).toHaveLength(1)
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

  it('a hang in the first wave (sent before any latency was known) is held to the timeout that appears later', async () => {
    const { server, test } = await setup(
      (index) => (index === 0 ? { kind: 'hang' } : { kind: 'ok', delayMs: 2 }),
      // A one-minute ceiling: waiting for it would stop this test.
      { maxConcurrency: 8, timeoutMs: 60_000, minTimeoutMs: 1000 },
    )
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => ask(test, `wave ${index}`)))
    expect(results[0]!.attempts).toBe(2)
    expect(results.slice(1).every((result) => result.attempts === 1)).toBe(true)
    expect(server.requests).toHaveLength(41)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(endpoint.timeouts).toBe(1)
    expect(endpoint.limit.decreases).toBe(0)
    expect(test.lines.filter((line) => line.includes('p99')).length).toBe(1)
  }, 20_000)

  it('time spent waiting on a hung connection is not charged as GPU time', async () => {
    const { test } = await setup((index) => (index === 0 ? { kind: 'hang' } : { kind: 'ok' }), {
      timeoutMs: 300,
      gpu: { count: 1, pricePerHour: 3600 },
    })
    const started = performance.now()
    await expect(ask(test)).resolves.toMatchObject({ attempts: 2 })
    const wallSeconds = (performance.now() - started) / 1000
    const model = test.service.report().models['vlm']!
    // Only the answered retry counts: it started after the 300 ms the hung attempt waited.
    expect(model.busySeconds).toBeLessThanOrEqual(wallSeconds - 0.3)
    expect(model.endpoints[0]!.timeouts).toBe(1)
    expect(model.cost.gpu!.amount).toBeCloseTo(model.busySeconds, 3)
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

  it('connections dropped on fresh sockets count as overload: one drop is retried, several back the limit off once', async () => {
    const { test } = await setup((index) => (index === 0 ? { kind: 'reset' } : { kind: 'ok' }))
    await expect(ask(test)).resolves.toMatchObject({ attempts: 2 })
    expect(test.service.report().models['vlm']!.endpoints[0]!.limit.decreases).toBe(0)
    const { test: burst } = await setup((index) => (index < 5 ? { kind: 'reset' } : { kind: 'ok' }), {
      maxConcurrency: 20,
    })
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => ask(burst, `drop ${index}`)))
    expect(results).toHaveLength(20)
    expect(burst.service.report().models['vlm']!.endpoints[0]!.limit.decreases).toBe(1)
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
