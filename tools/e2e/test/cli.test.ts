import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { FIXTURES, runCli, startCli, waitForStderr } from './run-cli.js'
import { readJson, readJsonl, tempDir } from './support.js'

const PIPELINE = join(FIXTURES, 'three-nodes.yaml')

describe('dataflow CLI on a three-node JSONL pipeline', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  let env: NodeJS.ProcessEnv
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01 })
    dir = await tempDir()
    env = { LLM_BASE_URL: sim.url }
  })
  afterAll(async () => {
    await sim.close()
    await dir.remove()
  })

  it('runs, writes outputs, errors and report, and exits 1 when errors pass the allowed rate', async () => {
    const out = join(dir.path, 'run-1')
    const result = await runCli(['run', PIPELINE, '--out', out, '--quiet'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error rate 33.3% is above the allowed 5.0%')
    const records = await readJsonl(join(out, 'out.jsonl'))
    expect(records.map((r) => r['id']).sort()).toEqual(['a', 'b', 'd', 'f'])
    const byId = Object.fromEntries(records.map((r) => [r['id'], r]))
    expect(byId['a']).toMatchObject({ upper: 'ONE TWO THREE FOUR FIVE SIX', words: 6 })
    expect(String(byId['a']!['summary'])).toMatch(/^\[simulated\]/)
    expect(byId['b']).toEqual({ id: 'b', upper: 'SHORT', words: 1 })
    const errors = await readJsonl(join(out, 'errors.jsonl'))
    expect(errors.map((e) => [e['id'], e['node'], (e['error'] as { code: string }).code]).sort()).toEqual([
      ['c', 'upper', 'DATAFLOW_INPUT_INVALID'],
      ['line-5', 'source', 'DATAFLOW_INPUT_INVALID'],
    ])
    const report = await readJson<{
      input: number
      outcomes: Record<string, number>
      nodes: Record<string, { done: number; skipped: number }>
    }>(join(out, 'report.json'))
    expect(report.input).toBe(6)
    expect(report.outcomes).toEqual({ ok: 4, rejected: 0, error: 2, interrupted: 0 })
    expect(report.nodes['summary']).toMatchObject({ done: 3, skipped: 1 })
    expect(await readFile(join(out, 'run.log'), 'utf8')).toContain('"level":30')
    expect(result.stdout).toContain('items 6: ok 4, rejected 0, error 2')
  })

  it('exits 0 when --max-error-rate allows the errors, and honours --limit and --set', async () => {
    const out = join(dir.path, 'run-2')
    const result = await runCli(
      [
        'run',
        PIPELINE,
        '--out',
        out,
        '--quiet',
        '--max-error-rate',
        '0.5',
        '--limit',
        '2',
        '--set',
        'nodes.count.with.text=item.text',
      ],
      env,
    )
    expect(result.code).toBe(0)
    const records = await readJsonl(join(out, 'out.jsonl'))
    expect(records.map((r) => [r['id'], r['words']]).sort()).toEqual([
      ['a', 6],
      ['b', 1],
    ])
  })

  it('reports every problem of a broken file with file:line:column and exits 2 without running', async () => {
    const result = await runCli(['validate', join(FIXTURES, 'broken.yaml')])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/broken\.yaml:6:\d+.*DATAFLOW_CONFIG_INVALID.*delayMs/)
    expect(result.stderr).toMatch(/broken\.yaml:6:\d+.*DATAFLOW_GRAPH_INVALID.*uper/)
    expect(result.stderr).toMatch(/broken\.yaml:7:\d+.*DATAFLOW_EXPRESSION_INVALID.*upper\.txt/)
    expect(result.stderr).toContain('3 problems found')
    expect(result.stderr).toContain('Nothing was run.')
    const run = await runCli(['run', join(FIXTURES, 'broken.yaml'), '--out', join(dir.path, 'never')])
    expect(run.code).toBe(2)
  })

  it('refuses a relative sink path that climbs out of the run directory, in validate and run, creating nothing', async () => {
    const file = join(FIXTURES, 'escaping-sink.yaml')
    const validate = await runCli(['validate', file])
    expect(validate.code).toBe(2)
    expect(validate.stderr).toMatch(
      /escaping-sink\.yaml:9:19.*DATAFLOW_CONFIG_INVALID.*output path "\.\.\/\.\.\/escaped\/x\.jsonl" climbs out of the run directory/,
    )
    const out = join(dir.path, 'nested', 'run-escape')
    const run = await runCli(['run', file, '--out', out, '--quiet'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/escaping-sink\.yaml:9:19/)
    await expect(stat(join(dir.path, 'escaped'))).rejects.toThrow(/ENOENT/)
    // An absolute path is the user's explicit choice.
    const elsewhere = join(dir.path, 'elsewhere', 'x.jsonl')
    const explicit = await runCli(['validate', file, '--set', `sinks.out.with.path=${elsewhere}`])
    expect(explicit.code).toBe(0)
  })

  it('prints the graph as Mermaid and as DOT', async () => {
    const mermaid = await runCli(['graph', PIPELINE])
    expect(mermaid.code).toBe(0)
    expect(mermaid.stdout).toContain('flowchart TD')
    expect(mermaid.stdout).toContain('upper --> count')
    expect(mermaid.stdout).toContain('count --> summary')
    const dot = await runCli(['graph', PIPELINE, '--format', 'dot'])
    expect(dot.stdout).toMatch(/^digraph "fixture-three"/)
    expect(dot.stdout).toContain('"count" -> "summary";')
  })

  it('rejects bad usage with exit 2 and shows help', async () => {
    expect((await runCli(['run'])).code).toBe(2)
    expect((await runCli(['run', PIPELINE, '--limit', 'many'])).stderr).toContain('--limit must be an integer')
    expect((await runCli(['frobnicate'])).code).toBe(2)
    const help = await runCli(['run', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--max-error-rate')
  })

  it('on SIGINT stops pulling, lets items in flight finish, flushes sinks and exits 130', async () => {
    const out = join(dir.path, 'run-sigint')
    const { child, done } = startCli(
      [
        'run',
        PIPELINE,
        '--out',
        out,
        '--progress-every',
        '0.5',
        '--set',
        'nodes.upper.with.delayMs=400',
        '--set',
        'run.window=1',
      ],
      env,
    )
    // Signal once items are finishing (the unattended progress line off a TTY), not after a guessed sleep.
    await waitForStderr(child, /progress [1-9]/)
    child.kill('SIGINT')
    const result = await done
    expect(result.code).toBe(130)
    const report = await readJson<{ status: string; input: number; outcomes: Record<string, number> }>(
      join(out, 'report.json'),
    )
    expect(report.status).toBe('stopped')
    expect(report.input).toBeGreaterThan(0)
    expect(report.input).toBeLessThan(6)
    const written =
      (await readJsonl(join(out, 'out.jsonl'))).length + (await readJsonl(join(out, 'errors.jsonl'))).length
    expect(written).toBe(report.input - report.outcomes['interrupted']!)
  })
})
