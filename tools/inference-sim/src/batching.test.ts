import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './start-simulator.js'
import { chat, postJson, user } from './test-support/http.js'
import { makePng, toDataUrl } from './test-support/images.js'
import { waitFor } from './test-support/wait-for.js'

let sim: Simulator | undefined
afterEach(() => sim?.close())

async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/v1$/, '/metrics'))).text()
  // summed over models
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
}

describe('continuous batching', () => {
  it('runs at most max-seqs requests at once and queues the rest', async () => {
    sim = await startSimulator({ maxSeqs: 2, timeScale: 0.05, models: ['m'] })
    const url = sim.url
    // two long requests (~1 minute simulated) fill the batch until the test aborts them
    const controller = new AbortController()
    const blockers = [1, 2].map((i) =>
      postJson(
        `${url}/chat/completions`,
        { model: 'm', messages: [user(`long ${i}`)], max_tokens: 30_000 },
        { signal: controller.signal },
      ).catch(() => 'aborted'),
    )
    await waitFor(() => sim!.stats().running === 2, 'the batch to fill')
    const queued = [1, 2].map((i) => chat(url, { model: 'm', messages: [user(`short ${i}`)], max_tokens: 10 }))
    await waitFor(() => sim!.stats().waiting === 2, 'two requests to queue')
    expect(await metricValue(url, 'vllm:num_requests_running')).toBe(2)
    expect(await metricValue(url, 'vllm:num_requests_waiting')).toBe(2)
    controller.abort()
    expect(await Promise.all(blockers)).toEqual(['aborted', 'aborted'])
    await Promise.all(queued)
    const stats = sim.stats()
    expect(stats.peaks.running).toBe(2)
    expect(stats.peaks.runningPlusWaiting).toBe(4)
    expect(stats.queueWaitMs.simulated.count).toBe(4)
    expect(stats.queueWaitMs.simulated.p95).toBeGreaterThan(0)
    // real = simulated x time scale, within the histogram's ~2% bucket error
    expect(stats.queueWaitMs.real.p95 / stats.queueWaitMs.simulated.p95).toBeCloseTo(0.05, 2)
    expect(stats.utilisation.busy).toBeGreaterThan(0.5)
    expect(stats.utilisation.busy).toBeLessThanOrEqual(1)
    expect(stats.utilisation.sinceReset).toBeLessThanOrEqual(stats.utilisation.busy)
    expect(stats.requestsByStatus).toEqual({ 200: 2 })
    expect(stats.aborted).toBe(2)
  })

  it('sees exactly the concurrency a client allows itself', async () => {
    sim = await startSimulator({ maxSeqs: 64, timeScale: 0.05 })
    const url = sim.url
    let next = 0
    const worker = async () => {
      while (next < 9) await chat(url, { model: 'm', messages: [user(`job ${next++}`)], max_tokens: 100 })
    }
    await Promise.all([worker(), worker(), worker()])
    const { peaks } = sim.stats()
    expect(peaks.inFlight).toBe(3)
    expect(peaks.runningPlusWaiting).toBe(3)
    // TCP connections may exceed it (a pooled client may open a new socket before an idle one is back)
    expect(peaks.connections).toBeGreaterThanOrEqual(1)
  })
})

describe('prefix cache', () => {
  const image = toDataUrl(makePng(560, 560), 'image/png') // 20 x 20 patches = 400 tokens
  const other = toDataUrl(makePng(560, 560, 7), 'image/png')
  const ask = (url: string, picture: string, question: string) =>
    chat(url, {
      model: 'm',
      messages: [
        user([
          { type: 'image_url', image_url: { url: picture } },
          { type: 'text', text: question },
        ]),
      ],
      max_tokens: 1,
    })

  it('reports the same image sent first as cached tokens, and counts hits in /metrics', async () => {
    sim = await startSimulator({ timeScale: 0.001 })
    const first = await ask(sim.url, image, 'Is there a cat?')
    const second = await ask(sim.url, image, 'What colour is the sky in this picture?')
    const third = await ask(sim.url, other, 'Is there a cat?')
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0)
    // the image block (400 tokens + 4 tokens of role markers) is shared; the question is not
    expect(second.usage.prompt_tokens_details.cached_tokens).toBe(404)
    expect(third.usage.prompt_tokens_details.cached_tokens).toBe(0)
    const stats = sim.stats()
    expect(stats.prefixCache.hitTokens).toBe(404)
    expect(stats.prefixCache.queryTokens).toBe(
      first.usage.prompt_tokens + second.usage.prompt_tokens + third.usage.prompt_tokens,
    )
    expect(await metricValue(sim.url, 'vllm:prefix_cache_hits_total')).toBe(404)
  })

  it('makes a cached prefix cost no prefill time', async () => {
    // 1000 simulated seconds of prefill per 1k tokens: the image alone costs ~404 s (~40 ms real)
    sim = await startSimulator({ timeScale: 0.0001, prefillMsPer1kTokens: 1_000_000 })
    await ask(sim.url, image, 'first')
    const cold = sim.stats().busyMs.simulated
    sim.reset()
    sim.setFaults({})
    await ask(sim.url, image, 'first') // reset also cleared the cache: cold again
    const coldAgain = sim.stats().busyMs.simulated
    sim.reset()
    await ask(sim.url, image, 'warm-up')
    const before = sim.stats().busyMs.simulated
    await ask(sim.url, image, 'second')
    const warm = sim.stats().busyMs.simulated - before
    expect(cold).toBeGreaterThanOrEqual(400_000)
    expect(coldAgain).toBeGreaterThanOrEqual(400_000)
    expect(warm).toBeLessThan(cold / 2)
  })
})
