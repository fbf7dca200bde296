import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { createReplayInference, runNode } from '@dataflow/sdk/testing'
import { FIXTURES, runCli } from './run-cli.js'
import { REPO, readJsonl, tempDir } from './support.js'

const PIPELINE = join(FIXTURES, 'three-nodes.yaml')
const EDITOR_SCHEMA = join(REPO, 'pipelines/dataflow.schema.json')

describe('dataflow schema', () => {
  it('writes the editor schema the shipped pipelines point at (regenerate: dataflow schema --out pipelines/dataflow.schema.json)', async () => {
    const result = await runCli(['schema'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(await readFile(EDITOR_SCHEMA, 'utf8'))
  })

  it("accepts every shipped pipeline and flags unknown with: keys and values outside a plugin's enum", async () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(await readFile(EDITOR_SCHEMA, 'utf8')),
    )
    const files = [
      ...(await readdir(join(REPO, 'pipelines'))).map((name) => join(REPO, 'pipelines', name)),
      ...(await readdir(join(REPO, 'pipelines/examples'))).map((name) => join(REPO, 'pipelines/examples', name)),
    ].filter((file) => file.endsWith('.yaml'))
    expect(files.length).toBeGreaterThan(4)
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      expect(text.split('\n')[0], file).toMatch(/^# yaml-language-server: \$schema=(\.\.?\/)dataflow\.schema\.json$/)
      expect(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    const capflow = parse(await readFile(join(REPO, 'pipelines/capflow.yaml'), 'utf8')) as Record<string, any>
    capflow['nodes'].route.with.fallbak = 'natural'
    capflow['nodes'].judge.with = { ...capflow['nodes'].judge.with, keep: 'all-excelent' }
    expect(validate(capflow)).toBe(false)
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/nodes/route/with', params: { additionalProperty: 'fallbak' } }),
        expect.objectContaining({ instancePath: '/nodes/judge/with/keep', keyword: 'enum' }),
      ]),
    )
  })
})

describe('dataflow run --record / --replay', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01 })
    dir = await tempDir()
  })
  afterAll(async () => {
    await sim.close()
    await dir.remove()
  })

  it('replays a recorded run without a server, names a request it does not hold, and feeds the SDK harness', async () => {
    const tape = join(dir.path, 'tape.jsonl')
    const recorded = join(dir.path, 'recorded')
    await runCli(['run', PIPELINE, '--out', recorded, '--quiet', '--record', tape], { LLM_BASE_URL: sim.url })
    const lines = (await readJsonl<{ request: { model: string }; answer: { text: string } }>(tape)).map(
      (line) => line.request.model,
    )
    const summarized = (await readJsonl<{ summary?: string }>(join(recorded, 'out.jsonl'))).filter(
      (record) => record.summary !== undefined,
    )
    expect(summarized.length).toBeGreaterThan(0)
    expect(lines).toEqual(summarized.map(() => 'llm'))

    // No server: the endpoint is a closed port.
    const dead = { LLM_BASE_URL: 'http://127.0.0.1:9/v1' }
    const replayed = join(dir.path, 'replayed')
    const replay = await runCli(['run', PIPELINE, '--out', replayed, '--quiet', '--replay', tape], dead)
    expect(replay.stderr).not.toContain('DATAFLOW_REPLAY_MISS')
    const sorted = async (path: string) =>
      (await readJsonl<{ id: string }>(join(path, 'out.jsonl'))).sort((a, b) => a.id.localeCompare(b.id))
    expect(await sorted(replayed)).toEqual(await sorted(recorded))

    const changed = join(dir.path, 'changed')
    await runCli(
      ['run', PIPELINE, '--out', changed, '--quiet', '--replay', tape, '--set', 'nodes.summary.with.maxTokens=8'],
      dead,
    )
    const misses = await readJsonl<{ node: string; error: { code: string; message: string } }>(
      join(changed, 'errors.jsonl'),
    )
    const summaryMisses = misses.filter((record) => record.node === 'summary')
    expect(summaryMisses).toHaveLength(summarized.length)
    expect(summaryMisses[0]!.error.code).toBe('DATAFLOW_REPLAY_MISS')
    expect(summaryMisses[0]!.error.message).toMatch(/holds no answer for chat to model "llm": ".+"/)

    // A plugin test answered by the recording: the summarize example node, outside any run.
    const { default: summarize } = (await import(join(REPO, 'pipelines/examples/nodes/summarize.js'))) as {
      default: Parameters<typeof runNode>[0]
    }
    const byId = Object.fromEntries(
      (await sorted(recorded)).map((record) => [record.id, record as Record<string, unknown>]),
    )
    const [outcome] = await runNode(summarize, {
      inference: createReplayInference(tape),
      config: { model: 'llm', text: 'upper.text', maxTokens: 16 },
      items: [{ id: 'a', outputs: { upper: { text: byId['a']!['upper'] } } }],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { summary: byId['a']!['summary'] } })
  })
})

describe('dataflow preview, validate --check-endpoints, run --limit', () => {
  let sim: Simulator
  let other: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01, models: ['test-llm'] })
    other = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01, models: ['some-other-model'] })
    dir = await tempDir()
  })
  afterAll(async () => {
    await Promise.all([sim.close(), other.close()])
    await dir.remove()
  })

  it('preview prints, per item and node, the prompt sent and the answer, and leaves no run directory', async () => {
    const previews = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('dataflow-preview-'))
    const before = await previews()
    const result = await runCli(['preview', PIPELINE, '-n', '2'], { LLM_BASE_URL: sim.url })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const text = result.stdout
    expect(text).toContain('item a: ok')
    expect(text).toContain('item b: ok')
    expect(text).not.toContain('item d:')
    expect(text).toContain('  upper [done')
    expect(text).toContain('    {"text":"ONE TWO THREE FOUR FIVE SIX"}')
    expect(text).toMatch(
      / {2}summary \[done, \d+ ms\]\n {4}prompt \(chat to llm\):\n {6}Summarise in one sentence:\n {6}ONE TWO THREE FOUR FIVE SIX\n {4}answer:\n {6}\[simulated\]/,
    )
    expect(await previews()).toEqual(before)
  })

  it('validate --check-endpoints says which served names are missing and which endpoints do not answer', async () => {
    const ok = await runCli(['validate', PIPELINE, '--check-endpoints'], { LLM_BASE_URL: sim.url })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`  ok       llm (test-llm) at ${sim.url}`)
    const missing = await runCli(['validate', PIPELINE, '--check-endpoints'], { LLM_BASE_URL: other.url })
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain(`  missing  llm (test-llm) at ${other.url}: the server serves some-other-model`)
    const closed = await closedPortUrl()
    const down = await runCli(['validate', PIPELINE, '--check-endpoints'], { LLM_BASE_URL: closed })
    expect(down.code).toBe(1)
    expect(down.stdout).toContain(`  down     llm (test-llm) at ${closed}: GET ${closed}/models: ECONNREFUSED`)
  })

  it('run --limit 3 lists what each item became', async () => {
    const out = join(dir.path, 'limited')
    const result = await runCli(['run', PIPELINE, '--limit', '3', '--out', out, '--quiet'], { LLM_BASE_URL: sim.url })
    expect(result.stdout).toContain(`items (dataflow inspect ${out} --item <id> for more):`)
    expect(result.stdout).toMatch(
      /\na: ok\n {2}upper: \{"text":"ONE TWO THREE FOUR FIVE SIX"\}\n {2}count: \{"words":6\}\n {2}summary: \{"summary":"\[simulated\]/,
    )
    expect(result.stdout).toContain('\nc: error at upper: ')
  })
})

/** The URL of a local port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/v1`
}
