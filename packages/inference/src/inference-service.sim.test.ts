import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { isDataflowError, type ImageRef, type JsonSchema } from '@dataflow/sdk'
import { createTestService, fast, type TestService } from '../test-support/test-service.js'

/** The simulator (tools/inference-sim), a TEST DOUBLE of a vLLM server; these tests need its build. */
const simBuilt = existsSync(new URL('../../../tools/inference-sim/dist/index.js', import.meta.url))

interface Simulator {
  url: string
  stats(): {
    peaks: { inFlight: number; connections: number; runningPlusWaiting: number }
    requestsByStatus: Record<string, number>
    openConnections: number
    inFlight: number
    /** Requests answered with each injected fault. */
    faults: Record<'serverError' | 'hung' | 'rateLimited', number>
    /** Requests whose client left before the answer. */
    aborted: number
  }
  setFaults(faults: Record<string, unknown>): void
  close(): Promise<void>
}
const startSimulator = async (options: Record<string, unknown>): Promise<Simulator> => {
  const module = (await import('@dataflow/inference-sim')) as {
    startSimulator(options: Record<string, unknown>): Promise<Simulator>
  }
  return module.startSimulator({ port: 0, seed: 3, meanOutputTokens: 8, ...options })
}

/** A real 1x1 PNG: the simulator reads image headers and refuses unreadable images. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
const image: ImageRef = {
  kind: 'image',
  hash: 'png1',
  mime: 'image/png',
  width: 1,
  height: 1,
  source: '/data/1.png',
  policy: 'test',
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

function serviceFor(models: Record<string, Record<string, unknown>>): TestService {
  const test = createTestService(
    Object.fromEntries(Object.entries(models).map(([name, config]) => [name, { model: 'sim-vl', ...fast, ...config }])),
    { resolveImage: async () => PNG },
  )
  cleanups.push(() => test.service.close())
  return test
}

const describeSim = simBuilt ? describe : describe.skip

describeSim('against the inference simulator (test double of vLLM)', () => {
  it('never writes simulated answers to the request cache', async () => {
    const sim = await startSimulator({ maxSeqs: 8, timeScale: 0.001 })
    cleanups.push(() => sim.close())
    const writes: string[] = []
    const cache = {
      get: async () => undefined,
      set: async (key: string) => {
        writes.push(key)
      },
    }
    const test = createTestService({ vlm: { baseURL: sim.url, model: 'sim-vl', ...fast } }, { cache })
    cleanups.push(() => test.service.close())
    const result = await test
      .client('agent')
      .chat({ model: 'vlm', maxTokens: 8, messages: [{ role: 'user', content: 'hello' }] })
    expect(result.text.startsWith('[simulated]')).toBe(true)
    expect(writes).toEqual([])
    expect(test.lines.join('\n')).toContain('not written to the request cache')
  })

  it('the configured ceiling equals the peak concurrency the server observed', async () => {
    // Real-time decoding (~150 ms a request) so that the first wave is all in flight at once.
    const sim = await startSimulator({ maxSeqs: 8, timeScale: 1 })
    cleanups.push(() => sim.close())
    const test = serviceFor({ vlm: { baseURL: sim.url, maxConcurrency: 12 } })
    await Promise.all(
      Array.from({ length: 36 }, (_, index) =>
        test.client('agent', 1, index).chat({
          model: 'vlm',
          maxTokens: 8,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', image },
                { type: 'text', text: `item ${index}` },
              ],
            },
          ],
        }),
      ),
    )
    const stats = sim.stats()
    expect(stats.peaks.inFlight).toBe(12)
    expect(stats.peaks.runningPlusWaiting).toBe(12)
    // Keep-alive sockets: about one per slot (a socket may open before an idle one is back).
    expect(stats.peaks.connections).toBeLessThanOrEqual(12 + 4)
    expect(stats.requestsByStatus).toEqual({ 200: 36 })
  })

  it('AIMD backs off under a 429 storm and every request still completes', async () => {
    const sim = await startSimulator({
      maxSeqs: 64,
      timeScale: 0.01,
      faults: { rateLimitRate: 0.4, retryAfterSeconds: 1 },
    })
    cleanups.push(() => sim.close())
    const test = serviceFor({
      vlm: { baseURL: sim.url, maxConcurrency: 32, retries: 10, backoff: { baseMs: 2, maxMs: 100 } },
    })
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        test
          .client('agent', 1, index)
          .chat({ model: 'vlm', maxTokens: 4, messages: [{ role: 'user', content: `q${index}` }] }),
      ),
    )
    expect(results).toHaveLength(120)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(sim.stats().requestsByStatus['429']).toBeGreaterThan(0)
    expect(endpoint.limit.decreases).toBeGreaterThanOrEqual(2)
    expect(endpoint.limit.min).toBeLessThanOrEqual(8)
    expect(endpoint.pool.pauses).toBeGreaterThan(0)
    expect(sim.stats().peaks.inFlight).toBeLessThanOrEqual(32)
  })

  it('random 500s and isolated 429s do not move the limit: no decrease, no pause, every request answered', async () => {
    const sim = await startSimulator({
      maxSeqs: 16,
      timeScale: 0.01,
      faults: { errorRate: 0.1, rateLimitRate: 0.02, retryAfterSeconds: 1 },
    })
    cleanups.push(() => sim.close())
    const test = serviceFor({
      vlm: { baseURL: sim.url, maxConcurrency: 16, retries: 8, backoff: { baseMs: 2, maxMs: 100 } },
    })
    const results = await Promise.all(
      Array.from({ length: 240 }, (_, index) =>
        test
          .client('agent', 1, index)
          .chat({ model: 'vlm', maxTokens: 4, messages: [{ role: 'user', content: `q${index}` }] }),
      ),
    )
    expect(results).toHaveLength(240)
    const stats = sim.stats()
    expect(stats.faults.serverError).toBeGreaterThan(12)
    expect(stats.faults.rateLimited).toBeGreaterThan(0)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    expect(endpoint.limit).toMatchObject({ decreases: 0, min: 16, current: 16 })
    expect(endpoint.pool.pauses).toBe(0)
  }, 20_000)

  it('a hung request costs its own slot: cancelled after 4 x p99 and retried while the others flow', async () => {
    const sim = await startSimulator({ maxSeqs: 8, timeScale: 0.01 })
    cleanups.push(() => sim.close())
    // A ceiling of a minute: a hang waiting for it would stop this test; the adaptive timeout
    // (at least minTimeoutMs) cancels it once 20 answers of the node are known.
    const test = serviceFor({
      vlm: { baseURL: sim.url, maxConcurrency: 8, timeoutMs: 60_000, minTimeoutMs: 500, retries: 4 },
    })
    const ask = (index: number) =>
      test
        .client('agent', 1, index)
        .chat({ model: 'vlm', maxTokens: 4, messages: [{ role: 'user', content: `q${index}` }] })
    await Promise.all(Array.from({ length: 30 }, (_, index) => ask(index)))
    sim.setFaults({ hangRate: 0.05 })
    const finished: number[] = []
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        ask(100 + index).then((result) => {
          finished.push(index)
          return result
        }),
      ),
    )
    const stats = sim.stats()
    expect(stats.faults.hung).toBeGreaterThan(0)
    const endpoint = test.service.report().models['vlm']!.endpoints[0]!
    // Every hang ended by our timeout (the server saw the client leave), each one logged.
    expect(endpoint.timeouts).toBe(stats.faults.hung)
    expect(stats.aborted).toBe(stats.faults.hung)
    expect(test.lines.filter((line) => line.includes('attempt cancelled'))).toHaveLength(endpoint.timeouts)
    const retried = results.flatMap((result, index) => (result.attempts > 1 ? [index] : []))
    expect(results.reduce((sum, result) => sum + result.attempts - 1, 0)).toBe(stats.faults.hung)
    // Requests asked after a hung one finished before it: the hang held one slot, not the run.
    const first = retried[0]!
    expect(finished.slice(0, finished.indexOf(first)).some((index) => index > first)).toBe(true)
    expect(endpoint.limit.decreases).toBe(0)
  }, 20_000)

  it('fails over to the live replica when one is closed mid-run', async () => {
    const first = await startSimulator({ maxSeqs: 4, timeScale: 0.01 })
    const second = await startSimulator({ maxSeqs: 4, timeScale: 0.01 })
    cleanups.push(() => second.close())
    const test = serviceFor({
      vlm: {
        endpoints: [first.url, second.url],
        maxConcurrency: 4,
        retries: 4,
        circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
      },
    })
    const ask = (index: number) =>
      test
        .client('agent', 1, index)
        .chat({ model: 'vlm', maxTokens: 4, messages: [{ role: 'user', content: `q${index}` }] })
    await Promise.all(Array.from({ length: 16 }, (_, index) => ask(index)))
    await first.close()
    const after = await Promise.all(Array.from({ length: 40 }, (_, index) => ask(100 + index)))
    expect(after).toHaveLength(40)
    const report = test.service.report().models['vlm']!
    expect(report.endpoints[0]!.breaker.state).toBe('open')
    expect(report.errors).toEqual({})
    expect(second.stats().requestsByStatus['200']).toBeGreaterThanOrEqual(40)
  })

  it('re-asks when the answer breaks the schema, and validates what it returns', async () => {
    const sim = await startSimulator({ maxSeqs: 16, timeScale: 0.01 })
    cleanups.push(() => sim.close())
    const test = serviceFor({ vlm: { baseURL: sim.url } })
    // The simulator honours minimum/maximum but not `not`: about half its first answers are invalid.
    const schema: JsonSchema = {
      type: 'object',
      required: ['score'],
      additionalProperties: false,
      properties: { score: { type: 'integer', minimum: 0, maximum: 9, not: { enum: [0, 1, 2, 3, 4] } } },
    }
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        test
          .client('judge', 2, index)
          .chatJson<{ score: number }>({
            model: 'vlm',
            schema,
            schemaName: 'score',
            messages: [
              {
                role: 'user',
                content: [
                  { type: 'image', image },
                  { type: 'text', text: `Rate item ${index}.` },
                ],
              },
            ],
          })
          .then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          ),
      ),
    )
    const results = outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : []))
    const errors = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []))
    expect(results.every((result) => result.value.score >= 5)).toBe(true)
    expect(results.some((result) => result.reasked)).toBe(true)
    expect(results.some((result) => !result.reasked)).toBe(true)
    for (const error of errors) {
      expect(isDataflowError(error) && error.code).toBe('DATAFLOW_OUTPUT_INVALID')
      if (isDataflowError(error)) expect(JSON.parse(String(error.details?.['raw'])).score).toBeLessThan(5)
    }
    const usage = test.service.report().nodes['judge']!['vlm']!
    expect(usage.reasks).toBe(results.filter((result) => result.reasked).length + errors.length)
    expect(usage.errors).toEqual(errors.length > 0 ? { DATAFLOW_OUTPUT_INVALID: errors.length } : {})
  })

  it('close() leaves no connection open at the server', async () => {
    const sim = await startSimulator({ maxSeqs: 8, timeScale: 0.01 })
    cleanups.push(() => sim.close())
    const test = serviceFor({ vlm: { baseURL: sim.url, maxConcurrency: 6, metrics: { intervalMs: 20 } } })
    await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        test
          .client('agent', 1, index)
          .chat({ model: 'vlm', maxTokens: 4, messages: [{ role: 'user', content: `q${index}` }] }),
      ),
    )
    expect(sim.stats().openConnections).toBeGreaterThan(0)
    await test.service.close()
    for (let tries = 0; tries < 100 && sim.stats().openConnections > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 5))
    expect(sim.stats().openConnections).toBe(0)
  })
})
