import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { requestContentHash } from './hash.js'
import { startSimulator, type Simulator } from './start-simulator.js'
import { chat, postJson, sseData, user } from './test-support/http.js'
import { waitFor } from './test-support/wait-for.js'

let sim: Simulator | undefined
afterEach(() => sim?.close())

const body = (text = 'hello') => ({ model: 'm', messages: [user(text)], max_tokens: 8 })
const post = (s: Simulator, b: unknown) => postJson(`${s.url}/chat/completions`, b)

describe('fault injection', () => {
  it('answers 500 for --error-rate', async () => {
    sim = await startSimulator({ timeScale: 0.001, faults: { errorRate: 1 } })
    const result = await post(sim, body())
    expect(result.status).toBe(500)
    expect(JSON.parse(result.text)).toMatchObject({ error: { type: 'InternalServerError', code: 500 } })
    expect(sim.stats().faults.serverError).toBe(1)
  })

  it('answers 429 with Retry-After in seconds for --rate-limit-rate', async () => {
    sim = await startSimulator({ timeScale: 1, faults: { rateLimitRate: 1, retryAfterSeconds: 3 } })
    const result = await post(sim, body())
    expect(result.status).toBe(429)
    expect(result.headers.get('retry-after')).toBe('3')
    expect(result.headers.get('retry-after-ms')).toBe('3000')
    expect(sim.stats().faults.rateLimited).toBe(1)
  })

  it('answers 200 with a truncated JSON body for --malformed-rate, streamed or not', async () => {
    sim = await startSimulator({ timeScale: 0.001, faults: { malformedRate: 1 } })
    const plain = await post(sim, body())
    expect(plain.status).toBe(200)
    expect(() => JSON.parse(plain.text) as unknown).toThrow()
    const streamed = await post(sim, { ...body(), stream: true })
    expect(streamed.status).toBe(200)
    const data = sseData(streamed.text)
    expect(data).not.toContain('[DONE]')
    expect(() => JSON.parse(data.at(-1)!) as unknown).toThrow()
    const stats = sim.stats()
    expect(stats.faults.malformed).toBe(2)
    expect(stats.completedByContent).toEqual({})
  })

  it('slows requests for --slow-rate by --slow-factor', async () => {
    // the exact slowdown is checked in virtual time in scheduler.test.ts; here only its presence
    sim = await startSimulator({ timeScale: 0.01, faults: { slowRate: 1, slowFactor: 20 } })
    const request = { ...body(), max_tokens: 50 } // 50 steps of ~15 ms: ~7.5 ms real, ~150 ms when slow
    await chat(sim.url, request)
    const slow = sim.stats().busyMs.simulated
    expect(sim.stats().faults.slow).toBe(1)
    sim.reset()
    sim.setFaults({ slowRate: 0 })
    await chat(sim.url, request)
    const normal = sim.stats().busyMs.simulated
    expect(sim.stats().faults.slow).toBe(0)
    expect(slow).toBeGreaterThan(normal * 4)
  })

  it('answers 503 when more than --max-waiting requests would wait', async () => {
    sim = await startSimulator({ maxSeqs: 1, timeScale: 0.1, faults: { maxWaiting: 1 } })
    const url = sim.url
    const first = chat(url, { ...body('first'), max_tokens: 200 })
    await waitFor(() => sim!.stats().running === 1, 'the first request to run')
    const second = post(sim, body('second'))
    await waitFor(() => sim!.stats().waiting === 1, 'the second request to wait')
    const third = await post(sim, body('third'))
    expect(third.status).toBe(503)
    expect(JSON.parse(third.text)).toMatchObject({ error: { type: 'ServiceUnavailableError', code: 503 } })
    await first
    expect((await second).status).toBe(200)
    expect(sim.stats().faults.overloaded).toBe(1)
  })

  it('hangs for --hang-rate until the client aborts, then leaves no socket open', async () => {
    sim = await startSimulator({ timeScale: 0.001, faults: { hangRate: 1 } })
    // node:http without an agent: one socket per request and no speculative connections
    // (undici opens a spare keep-alive socket after an abort, which would blur the count)
    const open = (text: string) => {
      const req = httpRequest(`${sim!.url}/chat/completions`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json' },
      })
      const settled = new Promise<string>((resolve) => {
        req.on('response', () => resolve('answered'))
        req.on('error', () => resolve('never answered'))
      })
      req.end(JSON.stringify(body(text)))
      return { req, settled }
    }
    const kept = open('kept')
    const aborted = open('abort me')
    await waitFor(() => sim!.stats().inFlight === 2 && sim!.stats().openConnections === 2, 'both requests to hang')
    aborted.req.destroy()
    expect(await aborted.settled).toBe('never answered')
    await waitFor(() => sim!.stats().openConnections === 1, "the aborted request's socket to close")
    expect(sim.stats().inFlight).toBe(1)
    expect(sim.stats().aborted).toBe(1)
    expect(sim.stats().faults.hung).toBe(2)
    await sim.close()
    expect(await kept.settled).toBe('never answered')
    expect(sim.stats().openConnections).toBe(0)
    expect(sim.stats().inFlight).toBe(0)
  })

  it('cancels a queued or running request whose client aborts, freeing its batch slot', async () => {
    sim = await startSimulator({ maxSeqs: 1, timeScale: 1 })
    const controller = new AbortController()
    const running = postJson(`${sim.url}/chat/completions`, body('long'), { signal: controller.signal }).catch(
      (e: unknown) => e,
    )
    await waitFor(() => sim!.stats().running === 1, 'the request to run')
    controller.abort()
    expect(await running).toBeInstanceOf(Error)
    await waitFor(() => sim!.stats().running === 0 && sim!.stats().inFlight === 0, 'the slot to be freed')
    expect(sim.stats().aborted).toBe(1)
    expect(sim.stats().tokens.completion).toBe(0)
  })

  it('fails the same arrivals for the same seed, others for another seed', async () => {
    const run = async (seed: number) => {
      const s = await startSimulator({ seed, timeScale: 0.001, faults: { errorRate: 0.3, rateLimitRate: 0.2 } })
      try {
        const statuses: number[] = []
        for (let i = 0; i < 30; i++) statuses.push((await post(s, body(`q${i}`))).status)
        s.reset()
        const again: number[] = []
        for (let i = 0; i < 30; i++) again.push((await post(s, body(`other ${i}`))).status)
        return { statuses, again }
      } finally {
        await s.close()
      }
    }
    const a = await run(5)
    const b = await run(5)
    const c = await run(6)
    expect(b.statuses).toEqual(a.statuses)
    expect(a.again).toEqual(a.statuses) // reset restarts the arrival order; content does not matter
    expect(c.statuses).not.toEqual(a.statuses)
    expect(a.statuses.filter((s) => s === 500).length).toBeGreaterThan(0)
    expect(a.statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect(a.statuses.filter((s) => s === 200).length).toBeGreaterThan(5)
  })
})

describe('control routes', () => {
  it('changes faults with POST /sim/faults and rejects bad values', async () => {
    sim = await startSimulator({ timeScale: 0.001 })
    const faultsUrl = sim.url.replace(/\/v1$/, '/sim/faults')
    const changed = await postJson(faultsUrl, { errorRate: 1 })
    expect(changed.status).toBe(200)
    expect(JSON.parse(changed.text)).toMatchObject({ errorRate: 1, rateLimitRate: 0, maxWaiting: null })
    expect((await post(sim, body())).status).toBe(500)
    expect((await postJson(faultsUrl, { errorRate: 2 })).status).toBe(400)
    expect((await postJson(faultsUrl, { explode: 1 })).status).toBe(400)
    await postJson(faultsUrl, { errorRate: 0 })
    expect((await post(sim, body())).status).toBe(200)
    expect(JSON.parse(await (await fetch(faultsUrl)).text())).toMatchObject({ errorRate: 0 })
  })

  it('counts complete 200 answers per request content and clears them on POST /sim/reset', async () => {
    sim = await startSimulator({ timeScale: 0.001 })
    const request = body('count me')
    await chat(sim.url, request)
    await chat(sim.url, request)
    await postJson(`${sim.url}/chat/completions`, { ...request, stream: true })
    await chat(sim.url, body('once'))
    const stats = sim.stats()
    expect(stats.completedByContent[requestContentHash(request)]).toBe(3)
    expect(stats.completedByContent[requestContentHash(body('once'))]).toBe(1)
    expect(stats.repeatedContent).toBe(1)
    expect(stats.requestsByStatus).toEqual({ 200: 4 })
    expect(stats.tokens.completion).toBe(32)
    const reset = await postJson(sim.url.replace(/\/v1$/, '/sim/reset'), {})
    expect(JSON.parse(reset.text)).toMatchObject({
      arrivals: 0,
      completedByContent: {},
      requestsByStatus: {},
      tokens: { prompt: 0, completion: 0 },
    })
  })
})
