import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { tempDir } from '../support.js'
import { sampleDatasets } from './capflow-dataset.js'
import { startKeyRecordingProxy, type KeyRecordingProxy } from './key-recording-proxy.js'
import { BAD_MEDIA, filesContaining, listFiles, readOutcomes, runCapflow } from './run-capflow.js'
import { writeDataset } from './write-dataset.js'

/** Recognisable keys: one in the common `sk-` shape, one without any known prefix. */
const VLM_KEY = 'sk-e2e-VLMSECRET-7f3a9c1d2b8e4f60'
const LLM_KEY = 'e2e-llm-secret-51d0a7b3c9e2f814'
/** Distinctive middles: a partial mask (`sk-...4f60`) must not leave these either. */
const FRAGMENTS = [VLM_KEY, LLM_KEY, 'VLMSECRET-7f3a9c1d2b', 'secret-51d0a7b3c9']

describe('API keys from the environment never reach the disk or the terminal', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let vlm: Simulator
  let llm: Simulator
  let vlmProxy: KeyRecordingProxy
  let llmProxy: KeyRecordingProxy
  beforeAll(async () => {
    dir = await tempDir('dataflow-secrets-')
    const faults = { errorRate: 0.05, rateLimitRate: 0.05, hangRate: 0.01, malformedRate: 0.01 }
    vlm = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02, seed: 5, faults })
    llm = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02, seed: 6, faults })
    vlmProxy = await startKeyRecordingProxy(vlm.url)
    // Every 6th summary request gets a 401 whose message quotes the key.
    llmProxy = await startKeyRecordingProxy(llm.url, 6)
  })
  afterAll(async () => {
    await Promise.all([vlmProxy?.close(), llmProxy?.close()])
    await Promise.all([vlm?.close(), llm?.close()])
    await dir?.remove()
  })

  it('a run with faults, 401s quoting the key and bad media writes the key nowhere', async () => {
    const sample = await sampleDatasets()
    const { metafile, ids } = await writeDataset(join(dir.path, 'data'), {
      ...sample,
      broken: {
        root: BAD_MEDIA,
        task: 'Natural',
        records: [
          { id: 'empty', image: 'zero-byte.jpg' },
          { id: 'gone', image: 'missing.jpg' },
        ],
      },
    })
    const out = join(dir.path, 'run')
    const cacheDir = join(dir.path, 'cache')
    const result = await runCapflow({
      out,
      metafile,
      cacheDir,
      env: { VLM_BASE_URL: vlmProxy.url, LLM_BASE_URL: llmProxy.url, VLM_API_KEY: VLM_KEY, LLM_API_KEY: LLM_KEY },
      // The most talkative terminal output there is.
      args: ['--log-level', 'trace'],
      set: [
        'models.vlm.timeoutMs=3000',
        'models.llm.timeoutMs=3000',
        'models.vlm.backoff={baseMs: 50, maxMs: 500}',
        'models.llm.backoff={baseMs: 50, maxMs: 500}',
      ],
    })
    expect(result.code).toBe(0)

    // The keys were really in use, and the run saw the failures meant to tempt a leak.
    expect(vlmProxy.authorizations.length).toBeGreaterThan(50)
    expect(new Set(vlmProxy.authorizations)).toEqual(new Set([`Bearer ${VLM_KEY}`]))
    expect(new Set(llmProxy.authorizations)).toEqual(new Set([`Bearer ${LLM_KEY}`]))
    const outcomes = await readOutcomes(out)
    expect([...outcomes.ids].sort()).toEqual([...ids].sort())
    const codes = new Set(outcomes.errors.map((record) => record.error.code))
    expect(codes).toContain('DATAFLOW_INFERENCE_REJECTED')
    expect(codes).toContain('DATAFLOW_MEDIA_INVALID')
    expect(vlm.stats().faults.serverError + llm.stats().faults.serverError).toBeGreaterThan(0)

    // Grep everything the run wrote (outputs, errors, report, log, pipeline copy, journal,
    // request cache) and everything it printed.
    const files = [...(await listFiles(out)), ...(await listFiles(cacheDir).catch(() => []))]
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const fragment of FRAGMENTS) {
      expect(await filesContaining(files, fragment), fragment).toEqual([])
      expect(result.stdout.includes(fragment), `stdout contains ${fragment}`).toBe(false)
      expect(result.stderr.includes(fragment), `stderr contains ${fragment}`).toBe(false)
    }
    expect(result.stderr.length + result.stdout.length).toBeGreaterThan(1000)
  }, 180_000)
})
