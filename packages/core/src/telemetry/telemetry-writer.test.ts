import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { readTimeSeries } from './read-telemetry.js'
import { formatStatusLine, type RunStatus } from './run-status.js'
import { RunTelemetry } from './run-telemetry.js'
import { startTelemetryWriter } from './telemetry-writer.js'
import { telemetryFilesIn } from './telemetry-files.js'
import { telemetryTestOutcome, telemetryTestPipeline } from './test-pipeline.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

const inference = {
  report: () =>
    ({
      models: {
        vlm: { requests: 40, promptTokens: 9000, completionTokens: 1000, cachedAnswers: 2, retries: 1, endpoints: [] },
      },
      nodes: {},
      cost: { byTokens: {}, byGpu: { USD: 1.25 }, assumptions: [] },
    }) as never,
  gauges: () => [{ host: 'gpu:8000', inFlight: 7, queued: 3, limit: 64, ceiling: 64, paused: false }],
}

describe('telemetry writer', () => {
  it('appends the time series, rewrites status.json and logs unattended progress lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataflow-telemetry-'))
    dirs.push(dir)
    const lines: Array<{ msg: string; progress?: RunStatus }> = []
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as never) })
    const telemetry = new RunTelemetry({ pipeline: telemetryTestPipeline() })
    telemetry.attachInference(inference)
    telemetry.setProgress({ total: 100, done: 10, ok: 8, rejected: 1, error: 1, interrupted: 0, elapsedMs: 100 })
    const writer = startTelemetryWriter({
      telemetry,
      runDir: dir,
      pipeline: 'p',
      logger,
      progressEveryMs: 40,
      sampleMs: 10,
      statusMs: 20,
    })
    telemetry.observer.outcome!(telemetryTestOutcome(10, 'ok', 'natural'), 5)
    await new Promise((resolve) => setTimeout(resolve, 150))
    telemetry.setProgress({ total: 100, done: 20, ok: 17, rejected: 2, error: 1, interrupted: 0, elapsedMs: 250 })
    await writer.stop('completed')
    const files = telemetryFilesIn(dir)
    const status = JSON.parse(await readFile(files.status, 'utf8')) as RunStatus
    expect(status).toMatchObject({
      pipeline: 'p',
      status: 'completed',
      done: 20,
      total: 100,
      percent: 20,
      outcomes: { ok: 17, rejected: 2, error: 1, interrupted: 0 },
      requests: 40,
      tokens: { prompt: 9000, completion: 1000 },
      cost: { tokens: {}, gpu: { USD: 1.25 } },
    })
    expect(status.itemsPerSecond).toBeGreaterThan(0)
    expect(status.etaSeconds).toBeGreaterThan(0)
    const points = await readTimeSeries(dir)
    expect(points.length).toBeGreaterThanOrEqual(2)
    expect(points.at(-1)!.endpoints['gpu:8000']).toMatchObject({ inFlight: 7, queued: 3, limit: 64 })
    const digest = JSON.parse(await readFile(files.digest, 'utf8')) as {
      sessions: Array<{ status: string }>
      gallery: { seen: { ok: number } }
    }
    expect(digest.sessions).toEqual([expect.objectContaining({ status: 'completed' })])
    expect(digest.gallery.seen.ok).toBe(1)
    const progress = lines.filter((line) => line.progress)
    expect(progress.length).toBeGreaterThanOrEqual(1)
    expect(progress[0]!.msg).toMatch(
      /^progress 10\/100 \(10%\), [\d.]+ items\/s.*; ok 8 rejected 1 error 1; 10000 tokens; cost 1\.25 USD$/,
    )
  })

  it('formats the projection when the engine made one', () => {
    const status = {
      done: 5,
      total: null,
      percent: null,
      itemsPerSecond: 2,
      etaSeconds: null,
      outcomes: { ok: 5, rejected: 0, error: 0, interrupted: 0 },
      tokens: { prompt: 1, completion: 2 },
      cost: { tokens: { USD: 0.5 }, gpu: {} },
      projection: {
        items: 5_000_000,
        done: 5,
        basedOn: { items: 5, elapsedMs: 2500 },
        itemsPerSecond: 2,
        etaMs: 2_499_997_500,
        gpuHours: 1234.5,
        cost: { byTokens: {}, byGpu: { USD: 3086.25 } },
      },
    } as unknown as RunStatus
    expect(formatStatusLine(status)).toBe(
      'progress 5, 2 items/s; ok 5 rejected 0 error 0; 3 tokens; cost 0.50 USD; whole input: 5,000,000 items, eta 28d22h, 1,234.5 GPU-hours, cost 3086.25 USD',
    )
  })
})
