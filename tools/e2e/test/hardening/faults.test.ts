import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { readJson, tempDir } from '../support.js'
import { writeCapflowDataset } from './capflow-dataset.js'
import { readOutcomes, runCapflow } from './run-capflow.js'

/** The fault mix: 5% 500s, 5% 429s, 1% hangs, 1% malformed bodies, on both servers. */
const FAULTS = { errorRate: 0.05, rateLimitRate: 0.05, hangRate: 0.01, malformedRate: 0.01 }

interface Usage {
  requests: number
  attempts: number
  retries: number
  errors: Record<string, number>
}
interface Report {
  status: string
  input: number
  outcomes: Record<string, number>
  errorsByCode: Record<string, number>
  inference: { models: Record<string, Usage> }
}

describe('CapFlow over a few hundred items with faulty servers', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let vlm: Simulator
  let llm: Simulator
  beforeAll(async () => {
    dir = await tempDir('dataflow-faults-')
    // Answers take ~50-600 ms here; a hung request is abandoned after 3 s and retried.
    vlm = await startSimulator({ port: 0, maxSeqs: 128, timeScale: 0.02, seed: 11, faults: FAULTS })
    llm = await startSimulator({ port: 0, maxSeqs: 128, timeScale: 0.02, seed: 12, faults: FAULTS })
  })
  afterAll(async () => {
    await Promise.all([vlm?.close(), llm?.close()])
    await dir?.remove()
  })

  it('loses nothing: every item is kept, rejected or an error record with a reason, and retries resolve most faults', async () => {
    const { metafile, ids } = await writeCapflowDataset(join(dir.path, 'data'), 272)
    expect(ids.length).toBeGreaterThanOrEqual(300)
    const out = join(dir.path, 'run')
    const result = await runCapflow({
      out,
      metafile,
      cacheDir: join(dir.path, 'cache'),
      env: { VLM_BASE_URL: vlm.url, LLM_BASE_URL: llm.url },
      set: [
        'models.vlm.maxConcurrency=128',
        'models.llm.maxConcurrency=128',
        'models.vlm.timeoutMs=3000',
        'models.llm.timeoutMs=3000',
        'models.vlm.backoff={baseMs: 50, maxMs: 500}',
        'models.llm.backoff={baseMs: 50, maxMs: 500}',
      ],
    })
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.code).toBe(0)

    // The faults really happened, of every kind, on both servers.
    for (const sim of [vlm, llm]) {
      const { faults } = sim.stats()
      expect(faults.serverError).toBeGreaterThan(0)
      expect(faults.rateLimited).toBeGreaterThan(0)
      expect(faults.malformed + faults.hung).toBeGreaterThan(0)
    }
    expect(vlm.stats().faults.hung).toBeGreaterThan(0)

    // Nothing lost, nothing twice.
    const outcomes = await readOutcomes(out)
    expect(outcomes.ids).toHaveLength(ids.length)
    expect(new Set(outcomes.ids).size).toBe(ids.length)
    expect([...outcomes.ids].sort()).toEqual([...ids].sort())
    for (const record of outcomes.errors) {
      expect(record.error.code).toMatch(/^DATAFLOW_/)
      expect(record.error.message.length).toBeGreaterThan(10)
      expect(typeof record.node).toBe('string')
    }
    for (const record of outcomes.rejected) expect(String(record['reason'])).not.toBe('')

    const report = await readJson<Report>(join(out, 'report.json'))
    expect(report.status).toBe('completed')
    expect(report.input).toBe(ids.length)
    expect(report.outcomes).toMatchObject({
      ok: outcomes.kept.length,
      rejected: outcomes.rejected.length,
      error: outcomes.errors.length,
      interrupted: 0,
    })

    // Retries resolved most faults: many retries, few items lost to errors.
    const models = report.inference.models
    expect(models['vlm']!.retries).toBeGreaterThan(0)
    expect(models['llm']!.retries).toBeGreaterThan(0)
    const faultCount = (sim: Simulator) => {
      const { faults } = sim.stats()
      return faults.serverError + faults.rateLimited + faults.hung + faults.malformed
    }
    const failedRequests = Object.values(models).reduce(
      (sum, usage) => sum + Object.values(usage.errors).reduce((a, b) => a + b, 0),
      0,
    )
    expect(failedRequests).toBeLessThan((faultCount(vlm) + faultCount(llm)) / 10)
    expect(outcomes.errors.length / ids.length).toBeLessThan(0.02)
  }, 300_000)
})
