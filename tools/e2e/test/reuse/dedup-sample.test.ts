import { existsSync, readdirSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli } from '../run-cli.js'
import { readJsonl, tempDir } from '../support.js'

/** 400 items, 250 distinct texts (spelt with varying case and spaces), 5 groups. */
async function writeItems(path: string): Promise<void> {
  const lines = Array.from({ length: 400 }, (_, index) => {
    const text = `Review number ${index % 250}`
    const spelt = index >= 250 ? `  ${text.toUpperCase()} ` : text
    return JSON.stringify({ id: `i${String(index).padStart(3, '0')}`, text: spelt, group: `g${(index * 7) % 5}` })
  })
  await writeFile(path, `${lines.join('\n')}\n`)
}

const PIPELINE = [
  'version: 1',
  'name: dedup-sample',
  'models: { llm: { baseURL: "${LLM_BASE_URL}", model: m, maxConcurrency: 16 } }',
  'source: { uses: "@dataflow/plugin-source-jsonl", with: { path: items.jsonl } }',
  'nodes:',
  '  dedup: { uses: "@dataflow/plugin-dedup", with: { key: item.text, normalize: true } }',
  '  sample: { uses: "@dataflow/plugin-sample", needs: [dedup], with: { group: item.group, perGroup: 30 } }',
  '  tag: { uses: "@dataflow/plugin-llm", needs: [sample], with: { model: llm, prompt: "Tag: {{item.text}}", maxTokens: 40 } }',
  'run: { window: 16 }',
  'sinks:',
  '  kept: { uses: "@dataflow/plugin-sink-jsonl", with: { path: kept.jsonl }, select: { id: id, group: item.group, fingerprint: dedup.fingerprint } }',
  '  dropped: { uses: "@dataflow/plugin-sink-jsonl", when: "outcome == \'rejected\'", with: { path: dropped.jsonl }, select: { id: id, reason: reason } }',
].join('\n')

type Kept = { id: string; group: string; fingerprint: string }
type Dropped = { id: string; reason: string }

const sorted = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => a.id.localeCompare(b.id))

/** Records in the sample node's admission log (16 bytes each). */
function admittedSoFar(runDir: string): number {
  const folder = join(runDir, 'state', 'sample')
  if (!existsSync(folder)) return 0
  return readdirSync(folder).reduce((sum, file) => sum + statSync(join(folder, file)).size / 16, 0)
}

describe('dedup and sample nodes end to end', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let llm: Simulator
  let pipeline: string
  beforeAll(async () => {
    dir = await tempDir()
    llm = await startSimulator({ port: 0, timeScale: 0.05, maxSeqs: 16 })
    await writeItems(join(dir.path, 'items.jsonl'))
    pipeline = join(dir.path, 'pipeline.yaml')
    await writeFile(pipeline, PIPELINE)
  })
  afterAll(async () => {
    await llm.close()
    await dir.remove()
  })

  it('drops duplicates and caps groups, and a run killed midway and resumed keeps exactly the same items', async () => {
    const env = { LLM_BASE_URL: llm.url }
    const baselineDir = join(dir.path, 'baseline')
    const baseline = await runCli(['run', pipeline, '--out', baselineDir, '-q'], env)
    expect(baseline.code, baseline.stderr).toBe(0)
    const kept = sorted(await readJsonl<Kept>(join(baselineDir, 'kept.jsonl')))
    const dropped = sorted(await readJsonl<Dropped>(join(baselineDir, 'dropped.jsonl')))
    expect(kept.length + dropped.length).toBe(400)
    // 250 distinct texts once normalised, then at most 30 per group (5 groups of 50 distinct texts).
    expect(kept).toHaveLength(150)
    expect(new Set(kept.map((record) => record.fingerprint)).size).toBe(150)
    expect(dropped.filter((record) => record.reason === 'duplicate of an earlier item: same item.text')).toHaveLength(
      150,
    )
    expect(
      dropped.filter((record) => /^group item.group = "g\d" already has 30 items/.test(record.reason)),
    ).toHaveLength(100)
    // The first spelling of each text is the one kept.
    for (const record of kept) expect(Number(record.id.slice(1))).toBeLessThan(250)

    // Killed once the sample node has admitted some items, then resumed to the end.
    const runDir = join(dir.path, 'killed')
    const { child, done } = startCli(['run', pipeline, '--out', runDir, '-q'], env)
    let killed = false
    for (let waited = 0; waited < 60_000 && !killed; waited += 20) {
      const exited = await Promise.race([done.then(() => true), delay(20).then(() => false)])
      if (exited) break
      if (admittedSoFar(runDir) >= 40) {
        child.kill('SIGKILL')
        killed = true
      }
    }
    const first = await done
    expect(killed, first.stderr).toBe(true)
    expect(first.signal).toBe('SIGKILL')
    // The kill left work for the resumed session.
    expect((await readJsonl(join(runDir, 'kept.jsonl'))).length).toBeLessThan(kept.length)
    const resumed = await runCli(['run', pipeline, '--resume', runDir, '-q'], env)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(sorted(await readJsonl<Kept>(join(runDir, 'kept.jsonl')))).toEqual(kept)
    expect(sorted(await readJsonl<Dropped>(join(runDir, 'dropped.jsonl')))).toEqual(dropped)
  })
})
