import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPipeline, runPipeline, type RunReport, type RunTelemetry } from '@dataflow/core'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseExposition, series } from './parse-exposition.js'
import { createRunMetrics } from './run-metrics.js'
import { serveMetrics } from './serve-metrics.js'

const NODES = fileURLToPath(new URL('../../../pipelines/examples/nodes/', import.meta.url))
const ITEMS = 60

describe('Prometheus metrics of a real run', () => {
  let sim: Simulator
  let dir: string
  beforeAll(async () => {
    // Server errors on 15% of attempts: retries by cause; two slots for many items: queue waits.
    sim = await startSimulator({ port: 0, maxSeqs: 4, timeScale: 0.05, faults: { errorRate: 0.15 } })
    dir = await mkdtemp(join(tmpdir(), 'dataflow-metrics-'))
    const items = Array.from({ length: ITEMS }, (_, index) => ({
      id: `i${index}`,
      text: index % 4 === 0 ? 'too short' : `item ${index} has enough words to be summarised`,
    }))
    await writeFile(join(dir, 'items.jsonl'), items.map((item) => JSON.stringify(item)).join('\n'))
    await writeFile(
      join(dir, 'pipeline.yaml'),
      [
        'version: 1',
        'name: metrics-test',
        'models:',
        `  llm: { baseURL: "${sim.url}", model: test-llm, maxConcurrency: 2, retries: 6 }`,
        'source: { uses: "@dataflow/plugin-source-jsonl", with: { path: items.jsonl } }',
        'nodes:',
        `  count: { uses: ${join(NODES, 'word-count.js')} }`,
        `  summary: { uses: ${join(NODES, 'summarize.js')}, needs: [count], when: "count.words >= 4", with: { model: llm, maxTokens: 24 } }`,
        'sinks:',
        '  out: { uses: "@dataflow/plugin-sink-jsonl", with: { path: out.jsonl }, select: { id: id, summary: summary.summary } }',
      ].join('\n'),
    )
  })
  afterAll(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves live values mid-run that end equal to report.json', async () => {
    const pipeline = await loadPipeline(join(dir, 'pipeline.yaml'), { resolveFrom: [fileURLToPath(import.meta.url)] })
    const metrics = createRunMetrics({
      nodeIds: pipeline.nodes.map((node) => node.id),
      labels: { pipeline: pipeline.name },
    })
    const server = await serveMetrics({
      port: 0,
      host: '127.0.0.1',
      scrape: () => metrics.scrape(),
      contentType: metrics.registry.contentType,
    })
    const scrape = async () => {
      const response = await fetch(server.url)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
      return parseExposition(await response.text())
    }
    try {
      let telemetry: RunTelemetry | undefined
      const running = runPipeline(pipeline, {
        out: join(dir, 'run'),
        quiet: true,
        logLevel: 'silent',
        hooks: [metrics.hooks],
        onStart: (_handle, _runDir, live) => {
          telemetry = live
          metrics.attach(() => live.snapshot())
        },
      })
      // Mid-run: once a few items are done, before all are.
      while ((telemetry?.latestProgress.done ?? 0) < 5) await new Promise((resolve) => setTimeout(resolve, 20))
      const middle = await scrape()
      const result = await running
      const final = await scrape()
      const report = JSON.parse(await readFile(join(dir, 'run', 'report.json'), 'utf8')) as RunReport
      const labels = { pipeline: 'metrics-test' }

      const middleDone = ['ok', 'rejected', 'error', 'interrupted'].reduce(
        (sum, outcome) => sum + middle.get(series('dataflow_items_total', { ...labels, outcome }))!,
        0,
      )
      expect(middleDone).toBeGreaterThanOrEqual(5)
      expect(middleDone).toBeLessThan(ITEMS)
      const endpoint = new URL(sim.url).host
      expect(middle.get(series('dataflow_requests_in_flight', { ...labels, endpoint }))).toBeLessThanOrEqual(
        middle.get(series('dataflow_adaptive_limit', { ...labels, endpoint }))!,
      )
      // Every counter of the mid-run scrape is at most its final value.
      for (const [key, value] of middle)
        if (/_total\{|_count\{|_sum\{|_bucket\{/.test(key)) expect(value, key).toBeLessThanOrEqual(final.get(key)!)

      // The final scrape is report.json.
      expect(result.report.input).toBe(ITEMS)
      for (const [outcome, count] of Object.entries(report.outcomes))
        expect(final.get(series('dataflow_items_total', { ...labels, outcome })), outcome).toBe(count)
      expect(final.get(series('dataflow_items_expected', labels))).toBe(ITEMS)
      for (const [node, counts] of Object.entries(report.nodes)) {
        const { latencyMs, ...events } = counts
        for (const [event, count] of Object.entries(events))
          expect(final.get(series('dataflow_node_calls_total', { ...labels, node, event })), `${node} ${event}`).toBe(
            count,
          )
        expect(final.get(series('dataflow_node_latency_seconds_count', { ...labels, node }))).toBe(latencyMs.count)
        expect(final.get(series('dataflow_node_latency_seconds_bucket', { ...labels, node, le: '+Inf' }))).toBe(
          latencyMs.count,
        )
      }
      expect(report.nodes['summary']!.skipped).toBe(ITEMS / 4)
      const llm = report.inference.models['llm']!
      expect(final.get(series('dataflow_requests_total', { ...labels, model: 'llm' }))).toBe(llm.requests)
      expect(final.get(series('dataflow_tokens_total', { ...labels, model: 'llm', kind: 'prompt' }))).toBe(
        llm.promptTokens,
      )
      expect(final.get(series('dataflow_tokens_total', { ...labels, model: 'llm', kind: 'completion' }))).toBe(
        llm.completionTokens,
      )
      expect(final.get(series('dataflow_cache_hits_total', { ...labels, model: 'llm' }))).toBe(llm.cachedAnswers)
      const retried = [...final].filter(([key]) => key.startsWith('dataflow_retries_total{'))
      expect(retried.length).toBeGreaterThan(0)
      expect(retried.map(([key]) => /cause="(\w+)"/.exec(key)![1])).toEqual(
        retried.map(() => 'DATAFLOW_INFERENCE_FAILED'),
      )
      expect(retried.reduce((sum, [, count]) => sum + count, 0)).toBe(llm.retries)
      expect(final.get(series('dataflow_requests_in_flight', { ...labels, endpoint }))).toBe(0)
      expect(final.get(series('dataflow_adaptive_limit', { ...labels, endpoint }))).toBe(
        llm.endpoints[0]!.limit.current,
      )
      // Sixty items through two slots: most requests waited for one.
      expect(final.get(series('dataflow_queue_wait_seconds_count', { ...labels, endpoint }))).toBeGreaterThan(0)

      // A distributed worker adds up its chunk runs: with two snapshots, every counter and gauge is their sum.
      const summed = createRunMetrics({ nodeIds: pipeline.nodes.map((node) => node.id), labels })
      const last = telemetry!.snapshot()
      summed.attach(() => [last, last])
      const twice = parseExposition(await summed.scrape())
      for (const [outcome, count] of Object.entries(report.outcomes))
        expect(twice.get(series('dataflow_items_total', { ...labels, outcome })), outcome).toBe(2 * count)
      expect(twice.get(series('dataflow_requests_total', { ...labels, model: 'llm' }))).toBe(2 * llm.requests)
      expect(twice.get(series('dataflow_node_calls_total', { ...labels, node: 'summary', event: 'skipped' }))).toBe(
        ITEMS / 2,
      )
      expect(twice.get(series('dataflow_adaptive_limit', { ...labels, endpoint }))).toBe(
        2 * llm.endpoints[0]!.limit.current,
      )
    } finally {
      await server.close()
    }
  }, 60_000)
})
