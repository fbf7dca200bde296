import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { NodeStats } from '../run/node-stats.js'
import { RunTelemetry } from '../telemetry/run-telemetry.js'
import { telemetryTestOutcome, telemetryTestPipeline } from '../telemetry/test-pipeline.js'
import { telemetryFilesIn } from '../telemetry/telemetry-files.js'
import type { TimeSeriesPoint } from '../telemetry/time-series.js'
import { writeRunReport } from './write-report.js'

const image = fileURLToPath(new URL('../../../../data/sample/images/natural/coastline.jpg', import.meta.url))
const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

/** Feeds `items` synthetic outcomes through the telemetry and writes its files, as a run of that size would. */
async function syntheticRun(items: number, points: number): Promise<{ dir: string; counts: Record<string, number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dataflow-report-'))
  dirs.push(dir)
  const pipeline = telemetryTestPipeline()
  const telemetry = new RunTelemetry({ pipeline, random: Math.random })
  const nodes = new NodeStats(pipeline.nodes.map((node) => node.id))
  telemetry.attachNodes(nodes)
  const domains = ['natural', 'chart', 'document']
  const counts = { ok: 0, rejected: 0, error: 0 }
  // One outcome object per (kind, domain, error code), re-labelled per item: building a million objects is the slow part.
  const templates = new Map<string, ReturnType<typeof telemetryTestOutcome>>()
  for (let sequence = 0; sequence < items; sequence++) {
    const kind = sequence % 97 === 0 ? 'error' : sequence % 5 === 1 ? 'rejected' : 'ok'
    counts[kind]++
    const key = `${kind}/${sequence % 3}/${kind === 'error' ? (sequence / 97) % 100 : ''}`
    let outcome = templates.get(key)
    if (!outcome) {
      outcome = telemetryTestOutcome(sequence, kind, domains[sequence % 3]!, 'a long caption '.repeat(80))
      const media = outcome.outputs['media'] as { image: { source: string } } | undefined
      if (media) media.image.source = image
      if (outcome.error) outcome.error.error.code = `DATAFLOW_CODE_${(sequence / 97) % 100}` as never
      templates.set(key, outcome)
    }
    outcome.id = `item-${sequence}`
    outcome.sequence = sequence
    nodes.record(0, 'done', 3 + (sequence % 40))
    nodes.record(3, kind === 'rejected' ? 'rejected' : 'done', 200 + (sequence % 900))
    telemetry.observer.outcome!(outcome, 1000)
  }
  telemetry.setProgress({ total: items, done: items, ...counts, interrupted: 0, elapsedMs: 1000 })
  const files = telemetryFilesIn(dir)
  await writeFile(files.digest, JSON.stringify(telemetry.digest()))
  const lines: string[] = []
  for (let index = 0; index < points; index++) {
    const point: TimeSeriesPoint = {
      at: 1_800_000_000_000 + index * 40_000,
      session: 0,
      t: index * 40,
      done: Math.round((items * index) / points),
      ok: 0,
      rejected: 0,
      error: 0,
      interrupted: 0,
      endpoints: {
        'gpu-1:8000': {
          inFlight: 200 + (index % 50),
          queued: index % 9,
          limit: 256,
          waits: 3,
          waitMsMax: 40,
          waitMsSum: 90,
        },
      },
      models: {
        vlm: {
          requests: index * 10,
          promptTokens: index * 1000,
          completionTokens: index * 100,
          cachedAnswers: 0,
          retries: 0,
        },
      },
      cost: { tokens: {}, gpu: { USD: index / 100 } },
    }
    lines.push(JSON.stringify(point))
  }
  await writeFile(files.timeSeries, `${lines.join('\n')}\n`)
  return { dir, counts }
}

describe('report.html', () => {
  it('stays under 5 MB for a 1,000,000-item run with a week of samples and 100 error codes', async () => {
    const { dir, counts } = await syntheticRun(1_000_000, 15_000)
    const { path, bytes } = await writeRunReport(dir)
    const html = await readFile(path, 'utf8')
    expect(bytes).toBeLessThan(5 * 1024 * 1024)
    console.log(`report.html of a 1M-item run: ${Math.round(bytes / 1024)} KB`)
    expect(bytes).toBe(Buffer.byteLength(html))
    // The figures are the run's: items rejected by the judge, 48 gallery cards with thumbnails.
    expect(html).toContain('rejected by judge')
    expect(html).toContain(`<td class="num">${counts['rejected']!.toLocaleString('en-US')}</td>`)
    expect(html.match(/<article class="card/g)).toHaveLength(48)
    expect(html.match(/src="data:image\/webp;base64,/g)).toHaveLength(48)
    expect(html.match(/class="error-group"/g)).toHaveLength(100)
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
  }, 60_000)

  it('writes the same sections for a small run: the bound comes from sampling, not from the run size', async () => {
    const small = await writeRunReport((await syntheticRun(2_000, 50)).dir)
    const html = await readFile(small.path, 'utf8')
    for (const id of [
      'summary',
      'graph',
      'funnel',
      'throughput',
      'endpoints',
      'latency',
      'cost',
      'distributions',
      'gallery',
      'errors',
    ])
      expect(html).toContain(`<section id="${id}">`)
    expect(small.bytes).toBeLessThan(1024 * 1024)
  }, 30_000)
})
