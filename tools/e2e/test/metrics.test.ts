import { join } from 'node:path'
import { parseExposition, series } from '@dataflow/metrics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCli, waitForStderr } from './run-cli.js'
import { REPO, readJson, startCapflowServers, tempDir } from './support.js'

interface Report {
  input: number
  outcomes: Record<string, number>
  nodes: Record<string, Record<string, number>>
  inference: {
    models: Record<string, { requests: number; promptTokens: number; completionTokens: number; retries: number }>
  }
}

describe('dataflow run --metrics-port during a CapFlow run', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  beforeAll(async () => {
    dir = await tempDir()
    servers = await startCapflowServers()
  })
  afterAll(async () => {
    await servers.close()
    await dir.remove()
  })

  it('serves dataflow_* metrics mid-run that agree with report.json at the end', async () => {
    const out = join(dir.path, 'run')
    const { child, done } = startCli(
      [
        'run',
        join(REPO, 'pipelines/capflow.yaml'),
        '--out',
        out,
        '--max-error-rate',
        '0.2',
        '--metrics-port',
        '127.0.0.1:0',
        '--progress-every',
        '0.5',
      ],
      servers.env,
    )
    const url = (await waitForStderr(child, /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/)).replace('metrics: ', '')
    // Mid-run: a few items done, not all.
    await waitForStderr(child, /progress ([3-9]|\d\d)/)
    const response = await fetch(url)
    expect(response.status).toBe(200)
    const middle = parseExposition(await response.text())
    const result = await done
    expect(result.code, result.stderr).toBe(0)
    const report = await readJson<Report>(join(out, 'report.json'))
    const labels = { pipeline: 'capflow' }
    const at = (name: string, extra: Record<string, string> = {}) => middle.get(series(name, { ...labels, ...extra }))

    const outcomes = ['ok', 'rejected', 'error', 'interrupted']
    const middleDone = outcomes.reduce((sum, outcome) => sum + at('dataflow_items_total', { outcome })!, 0)
    expect(middleDone).toBeGreaterThanOrEqual(3)
    expect(middleDone).toBeLessThan(report.input)
    for (const outcome of outcomes)
      expect(at('dataflow_items_total', { outcome }), outcome).toBeLessThanOrEqual(report.outcomes[outcome]!)
    for (const [node, counts] of Object.entries(report.nodes))
      for (const event of ['done', 'skipped', 'rejected', 'error'])
        expect(at('dataflow_node_calls_total', { node, event }), `${node} ${event}`).toBeLessThanOrEqual(counts[event]!)
    for (const [model, usage] of Object.entries(report.inference.models)) {
      expect(at('dataflow_requests_total', { model }), model).toBeGreaterThan(0)
      expect(at('dataflow_requests_total', { model }), model).toBeLessThanOrEqual(usage.requests)
      expect(at('dataflow_tokens_total', { model, kind: 'prompt' })).toBeLessThanOrEqual(usage.promptTokens)
      expect(at('dataflow_tokens_total', { model, kind: 'completion' })).toBeLessThanOrEqual(usage.completionTokens)
    }
    // Both simulators are endpoints with a limit; what is in flight never passes it.
    for (const endpoint of [new URL(servers.vlm.url).host, new URL(servers.llm.url).host]) {
      const limit = at('dataflow_adaptive_limit', { endpoint })!
      expect(limit, endpoint).toBeGreaterThan(0)
      expect(at('dataflow_requests_in_flight', { endpoint })).toBeLessThanOrEqual(limit)
    }
    expect(at('dataflow_node_latency_seconds_count', { node: 'media' })).toBeGreaterThan(0)
    // The endpoint is gone with the run.
    await expect(fetch(url)).rejects.toThrow()
  })
})
