import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { parseExposition, series } from '@dataflow/metrics'
import { startCli, waitForStderr } from '../run-cli.js'
import { readJson, tempDir } from '../support.js'
import { itemsSet, PIPELINE, writeItems } from './distributed-support.js'
import { hasRedis, startRedis, type TestRedis } from './redis-server.js'

const ITEMS = 400
const URL_PATTERN = /metrics: (http:\/\/\S+\/metrics)/

const scrape = async (url: string) => parseExposition(await (await fetch(url)).text())
const sumOf = (values: Map<string, number>, prefix: string) =>
  [...values].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, value]) => sum + value, 0)

describe.skipIf(!hasRedis)('distributed runs: Prometheus metrics on the coordinator and on each worker', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  let redis: TestRedis
  beforeAll(async () => {
    dir = await tempDir('dataflow-distributed-metrics-')
    sim = await startSimulator({ port: 0, maxSeqs: 16, timeScale: 0.01 })
    await mkdir(join(dir.path, 'redis'))
    redis = await startRedis(join(dir.path, 'redis'))
  })
  afterAll(async () => {
    await redis?.stop()
    await sim?.close()
    await dir?.remove()
  })

  it('--metrics-port on `run --queue` and on `worker`: scraped mid-run, they show the run going on', async () => {
    const items = join(dir.path, 'items.jsonl')
    await writeItems(items, ITEMS)
    const env = { LLM_BASE_URL: sim.url }
    const workers = [0, 1].map((index) =>
      startCli(
        [
          'worker',
          '--queue',
          redis.url,
          '--lease',
          '2',
          '--name',
          `w${index}`,
          '--cache',
          'off',
          '--metrics-port',
          '127.0.0.1:0',
        ],
        env,
      ),
    )
    const workerUrls = await Promise.all(
      workers.map(async (worker) => URL_PATTERN.exec(await waitForStderr(worker.child, URL_PATTERN))![1]!),
    )
    const out = join(dir.path, 'run')
    const coordinator = startCli(
      [
        'run',
        PIPELINE,
        '--queue',
        redis.url,
        '--out',
        out,
        '--chunk-size',
        '50',
        '--max-error-rate',
        '1',
        '--metrics-port',
        '127.0.0.1:0',
        '--progress-every',
        '0',
        ...itemsSet(items),
        '--set',
        'nodes.upper.with.delayMs=40',
        '--set',
        'run.window=4',
      ],
      env,
    )
    const coordinatorUrl = URL_PATTERN.exec(await waitForStderr(coordinator.child, URL_PATTERN))![1]!
    const labels = { pipeline: 'fixture-three' }
    // Mid-run: some chunks done, some not.
    let middle = await scrape(coordinatorUrl)
    while ((middle.get(series('dataflow_chunks', { ...labels, state: 'done' })) ?? 0) < 2) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      middle = await scrape(coordinatorUrl)
    }
    const workerMiddle = await Promise.all(workerUrls.map(scrape))
    const run = await coordinator.done
    // The run over, the workers still serve their chunk runs.
    const workerEnd = await Promise.all(workerUrls.map(scrape))
    for (const worker of workers) worker.child.kill('SIGTERM')
    await Promise.all(workers.map((worker) => worker.done))
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)

    const done = sumOf(middle, 'dataflow_items_total{')
    expect(done).toBeGreaterThanOrEqual(100)
    expect(done).toBeLessThan(ITEMS)
    expect(middle.get(series('dataflow_items_expected', labels))).toBe(ITEMS)
    const chunks = sumOf(middle, 'dataflow_chunks{')
    expect(chunks).toBeLessThanOrEqual(ITEMS / 50)
    expect(middle.get(series('dataflow_chunks', { ...labels, state: 'failed' }))).toBe(0)
    expect(middle.get(series('dataflow_chunks', { ...labels, state: 'active' }))).toBeGreaterThanOrEqual(1)

    // Each worker serves its own chunk runs, labelled with the worker and the distributed run.
    const merged = await readJson<{ outcomes: Record<string, number> }>(join(out, 'merged-report.json'))
    const runId = /distributed run (\w+)/.exec(run.stdout)![1]!
    const own = (index: number) => ({ ...labels, run: runId, worker: `w${index}` })
    for (const [index, values] of workerMiddle.entries()) {
      expect(sumOf(values, 'dataflow_items_total{'), `worker w${index}`).toBeGreaterThan(0)
      expect(
        values.get(series('dataflow_node_calls_total', { ...own(index), node: 'upper', event: 'done' })),
      ).toBeGreaterThan(0)
      expect(
        values.get(series('dataflow_node_latency_seconds_count', { ...own(index), node: 'upper' })),
      ).toBeGreaterThan(0)
    }
    // At the end, the workers' series add up to the merged report of the run (no chunk was taken over).
    for (const outcome of ['ok', 'rejected', 'error', 'interrupted']) {
      const byWorkers = workerEnd.reduce(
        (sum, values, index) => sum + (values.get(series('dataflow_items_total', { ...own(index), outcome })) ?? 0),
        0,
      )
      expect(byWorkers, outcome).toBe(merged.outcomes[outcome] ?? 0)
    }
    expect(Object.values(merged.outcomes).reduce((a, b) => a + b, 0)).toBe(ITEMS)
  }, 120_000)
})
