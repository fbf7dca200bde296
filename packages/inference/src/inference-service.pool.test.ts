import { afterEach, describe, expect, it } from 'vitest'
import type { DataflowError } from '@dataflow/sdk'
import { startFaultServer, takeContractViolations } from '../test-support/fault-server.js'
import { createTestService, fast } from '../test-support/test-service.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  // Every body the engine sent, in every test, conforms to the official OpenAI request schema.
  expect(takeContractViolations()).toEqual([])
})

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

/** Holds answers until `count` requests have arrived (or `ms` passed), so the peak reflects the limit, not timing. */
function gate(count: number, ms = 3000): { arrived(): Promise<unknown> } {
  let arrivals = 0
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  const timer = setTimeout(open, ms)
  void opened.then(() => clearTimeout(timer))
  return {
    arrived() {
      if (++arrivals >= count) open()
      return opened
    },
  }
}

const say = (text: string) => ({ model: 'vlm', messages: [{ role: 'user' as const, content: text }] })

describe('admission over HTTP', () => {
  it('the configured ceiling is the concurrency the server observes, whatever the load', async () => {
    const firstWave = gate(7)
    const server = await startFaultServer((_request, index) =>
      index < 7 ? { kind: 'ok', after: firstWave.arrived() } : { kind: 'ok', delayMs: 5 },
    )
    const test = createTestService({ vlm: { baseURL: server.url, model: 'm', maxConcurrency: 7, ...fast } })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await Promise.all(Array.from({ length: 60 }, (_, index) => test.client('agent', 1, index).chat(say(`q${index}`))))
    expect(server.peakInFlight).toBe(7)
    expect(test.service.report().models['vlm']!.endpoints[0]!.pool.peakInFlight).toBe(7)
    // Keep-alive: the sockets were reused, never more than the ceiling plus headroom.
    expect(await server.connections()).toBeLessThanOrEqual(7 + 4)
  })

  it('a ceiling above the default socket pool (256 > 100) is still reached', async () => {
    const all = gate(256)
    const server = await startFaultServer(() => ({ kind: 'ok', after: all.arrived() }))
    const test = createTestService({ vlm: { baseURL: server.url, model: 'm', maxConcurrency: 256, ...fast } })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await Promise.all(Array.from({ length: 256 }, (_, index) => test.client('agent', 1, index).chat(say(`q${index}`))))
    expect(server.peakInFlight).toBe(256)
  })

  it('deeper nodes and older items go first when the pool frees a slot', async () => {
    const server = await startFaultServer((request) =>
      (request.body['messages'] as { content: string }[])[0]!.content === 'first'
        ? { kind: 'ok', delayMs: 1 }
        : { kind: 'ok' },
    )
    const test = createTestService({ vlm: { baseURL: server.url, model: 'm', maxConcurrency: 1, ...fast } })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    const first = test.client('source', 0, 0).chat(say('first'))
    const queued = [
      test.client('route', 1, 5).chat(say('route-5')),
      test.client('judge', 3, 9).chat(say('judge-9')),
      test.client('agent', 2, 1).chat(say('agent-1')),
      test.client('judge', 3, 4).chat(say('judge-4')),
      test.client('route', 1, 2).chat(say('route-2')),
    ]
    await Promise.all([first, ...queued])
    const order = server.requests.map((request) => (request.body['messages'] as { content: string }[])[0]!.content)
    expect(order).toEqual(['first', 'judge-4', 'judge-9', 'agent-1', 'route-2', 'route-5'])
  })
})

describe('replicas', () => {
  it('spreads load to the replica with the fewest outstanding requests', async () => {
    const slow = await startFaultServer(() => ({ kind: 'ok', delayMs: 60 }))
    const quick = await startFaultServer(() => ({ kind: 'ok', delayMs: 2 }))
    const test = createTestService({
      vlm: { endpoints: [slow.url, quick.url], model: 'm', maxConcurrency: 4, ...fast },
    })
    cleanups.push(
      () => slow.close(),
      () => quick.close(),
      () => test.service.close(),
    )
    await Promise.all(Array.from({ length: 40 }, (_, index) => test.client('agent', 1, index).chat(say(`q${index}`))))
    expect(quick.requests.length).toBeGreaterThan(slow.requests.length)
    expect(slow.requests.length + quick.requests.length).toBe(40)
  })

  it('fails over when a replica dies: its breaker opens and the rest of the work goes to the live one', async () => {
    const doomed = await startFaultServer(() => ({ kind: 'ok', delayMs: 2 }))
    const live = await startFaultServer(() => ({ kind: 'ok', delayMs: 2 }))
    const test = createTestService({
      vlm: {
        endpoints: [doomed.url, live.url],
        model: 'm',
        maxConcurrency: 2,
        ...fast,
        retries: 3,
        circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
      },
    })
    cleanups.push(
      () => live.close(),
      () => test.service.close(),
    )
    await Promise.all(Array.from({ length: 6 }, (_, index) => test.client('agent', 1, index).chat(say(`warm${index}`))))
    expect(doomed.requests.length).toBeGreaterThan(0)
    await doomed.close()
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => test.client('agent', 1, 100 + index).chat(say(`after${index}`))),
    )
    expect(results).toHaveLength(30)
    const report = test.service.report().models['vlm']!
    expect(report.endpoints[0]!.breaker).toEqual({ state: 'open', opens: 1 })
    expect(report.endpoints[1]!.breaker.state).toBe('closed')
    expect(report.errors).toEqual({})
    // Only the attempts that discovered the dead replica were retried: its 2 slots, each refilled
    // while the breaker counts its 2 consecutive failures (plus a reset kept-alive socket or two).
    expect(report.retries).toBeLessThanOrEqual(6)
  })
})

describe('vLLM metrics mode', () => {
  it('polls /metrics and shrinks the limit while the server queue is long', async () => {
    const server = await startFaultServer(() => ({ kind: 'ok', delayMs: 30 }))
    server.metrics = { running: 10, waiting: 30 }
    const test = createTestService({
      vlm: { baseURL: server.url, model: 'm', maxConcurrency: 32, ...fast, metrics: { intervalMs: 20 } },
    })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    const work = Promise.all(
      Array.from({ length: 80 }, (_, index) => test.client('agent', 1, index).chat(say(`q${index}`))),
    )
    await until(() => server.metricsPolls >= 2)
    const limit = test.service.report().models['vlm']!.endpoints[0]!.limit
    expect(limit.current).toBeLessThan(32)
    // Steering by /metrics changes the limit without counting as an overload decrease.
    expect(limit.changes).toBeGreaterThan(0)
    expect(limit.decreases).toBe(0)
    server.metrics = { running: 10, waiting: 0 }
    await work
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(endpoint.metrics!.polls).toBeGreaterThanOrEqual(2)
    expect(endpoint.limit.current).toBeLessThanOrEqual(32)
  })

  it('falls back to AIMD and logs once when /metrics is missing', async () => {
    const server = await startFaultServer(() => ({ kind: 'ok' }))
    const test = createTestService({ vlm: { baseURL: server.url, model: 'm', ...fast, metrics: { intervalMs: 10 } } })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await until(() => server.metricsPolls >= 3)
    await test.client().chat(say('still works'))
    expect(test.lines.filter((line) => line.includes('cannot read vLLM metrics'))).toHaveLength(1)
  })
})

describe('run-level error guard', () => {
  it('reports a fatal DATAFLOW_RUN_ABORTED naming model and host, then fails later requests at once', async () => {
    const server = await startFaultServer(() => ({ kind: 'status', status: 502 }))
    const test = createTestService(
      { vlm: { baseURL: server.url, model: 'Qwen/VL', ...fast, retries: 0 } },
      { errorGuard: { windowSize: 10, minRequests: 5, maxErrorRate: 0.8 } },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    const fatal: DataflowError[] = []
    test.service.onFatal((error) => fatal.push(error))
    for (let index = 0; index < 4; index++)
      await test
        .client()
        .chat(say('x'))
        .catch(() => undefined)
    expect(fatal).toHaveLength(0)
    await test
      .client()
      .chat(say('x'))
      .catch(() => undefined)
    expect(fatal).toHaveLength(1)
    expect(fatal[0]!.code).toBe('DATAFLOW_RUN_ABORTED')
    expect(fatal[0]!.message).toBe(
      `model vlm (Qwen/VL) at ${new URL(server.url).host} failed 100% of the last 5 requests: is the server up?`,
    )
    const sent = server.requests.length
    await expect(test.client().chat(say('x'))).rejects.toMatchObject({ code: 'DATAFLOW_RUN_ABORTED' })
    expect(server.requests.length).toBe(sent)
    expect(test.service.fatalError).toBe(fatal[0])
    expect(test.service.report().models['vlm']!.fatal!.code).toBe('DATAFLOW_RUN_ABORTED')
    // A late listener hears about it too.
    const late = await new Promise<DataflowError>((resolve) => test.service.onFatal(resolve))
    expect(late).toBe(fatal[0])
  })

  it('does not trip on occasional failures', async () => {
    const server = await startFaultServer((_request, index) =>
      index % 4 === 0 ? { kind: 'status', status: 400 } : { kind: 'ok' },
    )
    const test = createTestService(
      { vlm: { baseURL: server.url, model: 'm', ...fast } },
      { errorGuard: { windowSize: 20, minRequests: 5 } },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    for (let index = 0; index < 40; index++)
      await test
        .client()
        .chat(say('x'))
        .catch(() => undefined)
    expect(test.service.fatalError).toBeUndefined()
  })
})

describe('close', () => {
  it('cancels queued and in-flight requests and leaves no socket or timer behind', async () => {
    const server = await startFaultServer(() => ({ kind: 'hang' }))
    server.metrics = { running: 1, waiting: 0 }
    const handlesBefore = process
      .getActiveResourcesInfo()
      .filter((name) => name === 'Timeout' || name === 'TCPSocketWrap').length
    const test = createTestService({
      vlm: { baseURL: server.url, model: 'm', maxConcurrency: 3, ...fast, metrics: { intervalMs: 10 } },
    })
    cleanups.push(() => server.close())
    const pending = Array.from({ length: 6 }, (_, index) =>
      test
        .client('agent', 1, index)
        .chat(say(`q${index}`))
        .catch((error: DataflowError) => error.code),
    )
    await until(() => server.requests.length === 3 && server.metricsPolls > 0)
    expect(await server.connections()).toBeGreaterThanOrEqual(3)
    await test.service.close()
    expect(await Promise.all(pending)).toEqual(Array.from({ length: 6 }, () => 'DATAFLOW_INTERRUPTED'))
    await until(() => server.inFlight === 0)
    for (let tries = 0; tries < 100 && (await server.connections()) > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await server.connections()).toBe(0)
    const handlesAfter = process
      .getActiveResourcesInfo()
      .filter((name) => name === 'Timeout' || name === 'TCPSocketWrap').length
    expect(handlesAfter).toBeLessThanOrEqual(handlesBefore)
    await expect(test.client().chat(say('late'))).rejects.toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
  })
})
