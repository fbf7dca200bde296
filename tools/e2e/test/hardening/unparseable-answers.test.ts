import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { readJson, tempDir } from '../support.js'
import { sampleDatasets } from './capflow-dataset.js'
import { readOutcomes, runCapflow } from './run-capflow.js'
import { writeDataset } from './write-dataset.js'

interface Report {
  status: string
  input: number
  outcomes: Record<string, number>
  errorsByCode: Record<string, number>
}

describe('model answers that cannot be parsed become error records, and the counts add up', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let sim: Simulator
  let judgeSim: Simulator
  let dataset: { metafile: string; ids: string[] }
  beforeAll(async () => {
    dir = await tempDir('dataflow-unparseable-')
    sim = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02 })
    judgeSim = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02, faults: { malformedRate: 1 } })
    const sample = await sampleDatasets()
    // 13 images of several domains, some routed by the model (web-mixed has no task), no video:
    // few enough judge failures (13) to stay under the error guard's minimum of 20 requests.
    dataset = await writeDataset(join(dir.path, 'data'), {
      'natural-photos': sample['natural-photos']!,
      'chart-qa': sample['chart-qa']!,
      'web-mixed': { ...sample['web-mixed']!, records: sample['web-mixed']!.records.slice(0, 3) },
    })
  })
  afterAll(async () => {
    await Promise.all([sim?.close(), judgeSim?.close()])
    await dir?.remove()
  })

  const env = () => ({ VLM_BASE_URL: sim.url, LLM_BASE_URL: sim.url })

  it('a judge server that only sends malformed bodies: every judged item is an error record; the rest of the run is unaffected', async () => {
    const out = join(dir.path, 'malformed-judge')
    const result = await runCapflow({
      out,
      metafile: dataset.metafile,
      cacheDir: join(dir.path, 'cache-1'),
      env: env(),
      set: [
        `models.judge={baseURL: "${judgeSim.url}", model: judge-model, retries: 1, backoff: {baseMs: 10, maxMs: 50}}`,
        'nodes.judge.with.model=judge',
      ],
    })
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.code).toBe(0)
    const outcomes = await readOutcomes(out)
    expect([...outcomes.ids].sort()).toEqual([...dataset.ids].sort())
    expect(outcomes.kept).toEqual([])
    expect(outcomes.rejected).toEqual([])
    for (const record of outcomes.errors) {
      expect(record.node).toBe('judge')
      expect(record.error.code).toBe('DATAFLOW_INFERENCE_FAILED')
      expect(record.error.message).toMatch(/malformed|JSON|not a chat completion/i)
    }
    expect(judgeSim.stats().faults.malformed).toBe(2 * dataset.ids.length)
    expect(sim.stats().faults.malformed).toBe(0)
    const report = await readJson<Report>(join(out, 'report.json'))
    expect(report.outcomes).toEqual({ ok: 0, rejected: 0, error: dataset.ids.length, interrupted: 0 })
  })

  it('a judge answer cut off by its token budget (invalid JSON twice) is an error record with the raw answer', async () => {
    const out = join(dir.path, 'truncated-judge')
    const result = await runCapflow({
      out,
      metafile: dataset.metafile,
      cacheDir: join(dir.path, 'cache-2'),
      env: env(),
      set: ['nodes.judge.with.maxTokens=16'],
    })
    expect(result.code).toBe(0)
    const outcomes = await readOutcomes(out)
    expect([...outcomes.ids].sort()).toEqual([...dataset.ids].sort())
    expect(outcomes.errors).toHaveLength(dataset.ids.length)
    for (const record of outcomes.errors) {
      expect(record).toMatchObject({ node: 'judge', error: { code: 'DATAFLOW_OUTPUT_INVALID' } })
      expect(record.error.hint).toMatch(/raise maxTokens/)
      expect(typeof record.error.details?.['raw']).toBe('string')
      expect(record.error.details?.['finishReason']).toBe('length')
    }
  })

  it('a judge that answers prose instead of JSON (no structured output): error records, after one re-ask each', async () => {
    const out = join(dir.path, 'prose-judge')
    const result = await runCapflow({
      out,
      metafile: dataset.metafile,
      cacheDir: join(dir.path, 'cache-3'),
      env: env(),
      set: [
        `models.judge={baseURL: "${sim.url}", model: prose-model, responseFormat: none}`,
        'nodes.judge.with.model=judge',
      ],
    })
    expect(result.code).toBe(0)
    const outcomes = await readOutcomes(out)
    expect([...outcomes.ids].sort()).toEqual([...dataset.ids].sort())
    expect(outcomes.errors).toHaveLength(dataset.ids.length)
    for (const record of outcomes.errors) {
      expect(record).toMatchObject({
        node: 'judge',
        error: { code: 'DATAFLOW_OUTPUT_INVALID', details: { finishReason: 'stop' } },
      })
      expect(String(record.error.details?.['raw'])).toMatch(/^\[simulated\]/)
    }
    const report = await readJson<{ inference: { nodes: Record<string, Record<string, { reasks: number }>> } }>(
      join(out, 'report.json'),
    )
    expect(report.inference.nodes['judge']!['judge']!.reasks).toBe(dataset.ids.length)
  })

  it('an unparseable router answer takes the fallback domain instead of failing the item', async () => {
    const out = join(dir.path, 'router-fallback')
    // A router model without structured output answers prose, which names no domain.
    const result = await runCapflow({
      out,
      metafile: dataset.metafile,
      cacheDir: join(dir.path, 'cache-4'),
      env: env(),
      set: [
        `models.router={baseURL: "${sim.url}", model: prose-model, responseFormat: none}`,
        'nodes.route.with.model=router',
      ],
    })
    expect(result.code).toBe(0)
    const outcomes = await readOutcomes(out)
    expect([...outcomes.ids].sort()).toEqual([...dataset.ids].sort())
    expect(outcomes.errors).toEqual([])
    const routed = [...outcomes.kept, ...outcomes.rejected].filter((record) =>
      String(record['id']).startsWith('web-mixed/'),
    )
    expect(routed).toHaveLength(3)
    for (const record of routed) {
      expect(record['domain']).toBe('natural')
      expect(record['router']).toMatchObject({ domain: 'natural', decidedBy: 'fallback', fallback: true })
      expect(String((record['router'] as Record<string, unknown>)['fallbackReason'])).not.toBe('')
    }
  })

  it('when the judge server keeps failing, the error guard stops the run and every item is still accounted for', async () => {
    const sample = await writeDataset(join(dir.path, 'sample'), await sampleDatasets())
    const out = join(dir.path, 'guard')
    const result = await runCapflow({
      out,
      metafile: sample.metafile,
      cacheDir: join(dir.path, 'cache-5'),
      env: env(),
      set: [
        `models.judge={baseURL: "${judgeSim.url}", model: judge-model, retries: 1, backoff: {baseMs: 10, maxMs: 50}}`,
        'nodes.judge.with.model=judge',
      ],
    })
    expect(result.stderr).not.toMatch(/^\s+at /m)
    expect(result.code).toBe(1)
    expect(result.stderr + result.stdout).toMatch(
      /model judge \(judge-model\) at .* failed 100% of the last \d+ requests/,
    )
    const report = await readJson<Report>(join(out, 'report.json'))
    expect(report.status).toBe('aborted')
    const { ok, rejected, error, interrupted } = report.outcomes
    expect(ok! + rejected! + error! + interrupted!).toBe(report.input)
    const outcomes = await readOutcomes(out)
    expect(new Set(outcomes.ids).size).toBe(outcomes.ids.length)
    expect(outcomes.ids.length).toBe(report.input - interrupted!)
    expect(outcomes.errors.length).toBe(error)
    expect(outcomes.errors.every((record) => record.error.code.startsWith('DATAFLOW_'))).toBe(true)
  })
})
