import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { FIXTURES, runCli } from '../run-cli.js'
import { readJson, tempDir } from '../support.js'

const PIPELINE = join(FIXTURES, 'three-nodes.yaml')

interface Merged {
  input: number
  outcomes: Record<string, number>
  outputs: Record<string, string[]>
  shards?: { count: number; missing: number[]; repeated: number[] }
  notes: string[]
}

describe('sharded runs with rotated outputs, combined by dataflow merge', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  let env: NodeJS.ProcessEnv
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01 })
    dir = await tempDir('dataflow-merge-')
    env = { LLM_BASE_URL: sim.url }
  })
  afterAll(async () => {
    await sim.close()
    await dir.remove()
  })

  it('two shards of one input, each a series of files; merge reports every item once and lists every file', async () => {
    const runs = [0, 1].map((index) => join(dir.path, `shard-${index}`))
    for (const [index, out] of runs.entries()) {
      const result = await runCli(
        [
          'run',
          PIPELINE,
          '--out',
          out,
          '--quiet',
          '--shard',
          `${index}/2`,
          '--max-error-rate',
          '1',
          '--set',
          'sinks.out.with.rotateEvery=1',
        ],
        env,
      )
      expect(result.code, result.stderr).toBe(0)
    }
    const out = join(dir.path, 'merged.json')
    const merged = await runCli(['merge', ...runs, '--out', out], env)
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.stdout).toContain('2 runs of "fixture-three"')
    const report = await readJson<Merged>(out)
    expect(report.input).toBe(6)
    expect(report.outcomes).toEqual({ ok: 4, rejected: 0, error: 2, interrupted: 0 })
    expect(report.shards).toEqual({ count: 2, missing: [], repeated: [] })
    // One record per file (rotateEvery 1): listing the files of both runs gives every kept item once.
    const files = report.outputs['out']!
    expect(files).toHaveLength(4)
    for (const file of files) expect(file).toMatch(/shard-[01]\/out-0000[0-9]\.jsonl$/)
    const ids = await Promise.all(
      files.map(async (file) => (JSON.parse((await readFile(file, 'utf8')).trim()) as { id: string }).id),
    )
    expect(ids.sort()).toEqual(['a', 'b', 'd', 'f'])
    for (const file of files) expect(merged.stdout).toContain(file)

    const one = await runCli(['merge', runs[0]!, '--out', join(dir.path, 'one.json'), '--json'], env)
    expect(one.code).toBe(0)
    expect((JSON.parse(one.stdout) as Merged).notes).toContain('shards missing: 1/2')
  })
})
