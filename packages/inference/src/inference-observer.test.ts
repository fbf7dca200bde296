import { afterEach, describe, expect, it } from 'vitest'
import { startFaultServer, type Reply } from '../test-support/fault-server.js'
import { createTestService, fast } from '../test-support/test-service.js'
import type { QueueWaitEvent, RequestEvent, RetryEvent } from './inference-observer.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function setup(script: (index: number) => Reply, config: Record<string, unknown> = {}) {
  const server = await startFaultServer((_request, index) => script(index))
  const events = { requests: [] as RequestEvent[], retries: [] as RetryEvent[], waits: [] as QueueWaitEvent[] }
  const test = createTestService(
    { vlm: { baseURL: server.url, model: 'Qwen/VL', ...fast, ...config } },
    {
      observer: {
        request: (event) => events.requests.push(event),
        retry: (event) => events.retries.push(event),
        queueWait: (event) => events.waits.push(event),
      },
    },
  )
  cleanups.push(
    () => server.close(),
    () => test.service.close(),
  )
  return { server, test, events }
}

const ask = (client: ReturnType<ReturnType<typeof createTestService>['client']>) =>
  client.chat({ model: 'vlm', messages: [{ role: 'user', content: 'hi' }] })

describe('inference observer', () => {
  it('sees one request event per answered request, with the binding, tokens and finish reason', async () => {
    const { test, events } = await setup(() => ({ kind: 'ok', text: 'yes', promptTokens: 11, completionTokens: 3 }))
    await ask(test.client('judge', 2, 7))
    expect(events.requests).toHaveLength(1)
    expect(events.requests[0]).toMatchObject({
      node: 'judge',
      sequence: 7,
      model: 'vlm',
      requestModel: 'Qwen/VL',
      attempts: 1,
      cached: false,
      promptTokens: 11,
      completionTokens: 3,
      finishReason: 'stop',
    })
    expect(events.requests[0]!.durationMs).toBeGreaterThan(0)
    expect(events.retries).toEqual([])
  })

  it('reports each retry with its cause, and the final failure with its code', async () => {
    const { server, test, events } = await setup(() => ({ kind: 'status', status: 503 }))
    await expect(ask(test.client('route'))).rejects.toMatchObject({ code: 'DATAFLOW_INFERENCE_UNAVAILABLE' })
    const host = new URL(server.url).host
    expect(events.retries).toEqual([
      { model: 'vlm', endpoint: host, cause: 'DATAFLOW_INFERENCE_UNAVAILABLE' },
      { model: 'vlm', endpoint: host, cause: 'DATAFLOW_INFERENCE_UNAVAILABLE' },
    ])
    expect(events.requests).toHaveLength(1)
    expect(events.requests[0]).toMatchObject({
      node: 'route',
      attempts: 3,
      errorCode: 'DATAFLOW_INFERENCE_UNAVAILABLE',
    })
  })

  it('reports queue waits only for requests that waited, and the gauges show the pool', async () => {
    let release!: () => void
    const gate = new Promise((resolve) => (release = () => resolve(undefined)))
    const { server, test, events } = await setup(() => ({ kind: 'ok', after: gate }), {
      maxConcurrency: 1,
      minConcurrency: 1,
    })
    const first = ask(test.client('a', 1, 0))
    const second = ask(test.client('a', 1, 1))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(test.service.gauges()).toEqual([
      { host: new URL(server.url).host, inFlight: 1, queued: 1, limit: 1, ceiling: 1, paused: false },
    ])
    release()
    await Promise.all([first, second])
    expect(events.waits).toHaveLength(1)
    expect(events.waits[0]!.waitMs).toBeGreaterThanOrEqual(40)
    expect(test.service.gauges()[0]).toMatchObject({ inFlight: 0, queued: 0 })
  })
})
