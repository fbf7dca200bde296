import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpWire, createKeepAliveAgent, type AttemptResult } from './http-wire.js'

const completion = (text: string) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'served',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  })

describe('createHttpWire', () => {
  const seen: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      seen.push({ path: request.url ?? '', headers: request.headers, body })
      const scenario = (JSON.parse(body || '{}') as { scenario?: string }).scenario ?? request.url
      if (scenario === 'hang') return
      if (scenario === '/metrics') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('vllm:num_requests_running 1')
      } else if (scenario === 'ok') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(completion('déjà vu ✓'))
      } else if (scenario === '429') {
        response
          .writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '250' })
          .end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit', code: 429 } }))
      } else if (scenario === '400') {
        response.writeHead(400).end('{"error": {"message": "bad max_tokens"}}')
      } else if (scenario === 'html') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>')
      } else if (scenario === 'not-a-completion') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"object": "list"}')
      }
    })
  })
  let base = ''
  const agent = createKeepAliveAgent('http://127.0.0.1', 8)
  const wire = () => createHttpWire(`${base}/v1`, agent)

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const send = (scenario: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
    wire().chat(
      'sk-secret',
      { model: 'asked', scenario },
      { signal: options.signal, timeoutMs: options.timeoutMs ?? 5000 },
    )
  const failureOf = (result: AttemptResult) => (result.ok ? undefined : result.failure)

  it('POSTs JSON to /chat/completions with the key, and reads the completion', async () => {
    const result = await send('ok')
    expect(result).toEqual({
      ok: true,
      answer: {
        text: 'déjà vu ✓',
        finishReason: 'stop',
        usage: { promptTokens: 3, completionTokens: 2 },
        servedModel: 'served',
      },
    })
    const request = seen.at(-1)!
    expect(request.path).toBe('/v1/chat/completions')
    expect(request.headers['authorization']).toBe('Bearer sk-secret')
    expect(request.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request.body)).toEqual({ model: 'asked', scenario: 'ok' })
  })

  it('maps statuses straight to the SDK codes, with the server message and Retry-After', async () => {
    expect(failureOf(await send('429'))).toMatchObject({
      code: 'DATAFLOW_INFERENCE_RATE_LIMITED',
      status: 429,
      retryAfterMs: 250,
      message: 'HTTP 429: slow down',
    })
    expect(failureOf(await send('400'))).toMatchObject({
      code: 'DATAFLOW_INFERENCE_REJECTED',
      status: 400,
      message: 'HTTP 400: bad max_tokens',
    })
    expect(failureOf(await send('html'))).toMatchObject({ code: 'DATAFLOW_INFERENCE_FAILED', status: undefined })
    expect(failureOf(await send('not-a-completion'))?.message).toContain('without a chat completion')
  })

  it('times out, and cancels at once on abort, ending the request at the server', async () => {
    expect(failureOf(await send('hang', { timeoutMs: 50 }))).toMatchObject({ code: 'DATAFLOW_INFERENCE_TIMEOUT' })
    const controller = new AbortController()
    const pending = send('hang', { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    expect(failureOf(await pending)).toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
    expect(failureOf(await send('ok', { signal: controller.signal }))).toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
  })

  it('a refused connection is UNAVAILABLE with the system code', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const own = createKeepAliveAgent('http://127.0.0.1', 1)
    const result = await createHttpWire(`http://127.0.0.1:${port}/v1`, own).chat(
      'k',
      { model: 'm' },
      { signal: undefined, timeoutMs: 5000 },
    )
    own.destroy()
    expect(failureOf(result)).toMatchObject({ code: 'DATAFLOW_INFERENCE_UNAVAILABLE', causeCode: 'ECONNREFUSED' })
  })

  it('reads /metrics over the same pool; close() ends requests in flight and refuses later ones', async () => {
    const own = createHttpWire(`${base}/v1`, createKeepAliveAgent('http://127.0.0.1', 4))
    expect(await own.get(`${base}/metrics`, new AbortController().signal)).toEqual({
      status: 200,
      text: 'vllm:num_requests_running 1',
    })
    const pending = own.chat('k', { model: 'm', scenario: 'hang' }, { signal: undefined, timeoutMs: 5000 })
    await new Promise((resolve) => setTimeout(resolve, 20))
    own.close(new Error('closing'))
    expect(failureOf(await pending)).toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
    expect(
      failureOf(await own.chat('k', { model: 'm', scenario: 'ok' }, { signal: undefined, timeoutMs: 5000 })),
    ).toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
    await expect(own.get(`${base}/metrics`, new AbortController().signal)).rejects.toThrow('closing')
  })
})
