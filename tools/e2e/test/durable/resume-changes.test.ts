import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../run-cli.js'
import { REPO, startCapflowServers, tempDir } from '../support.js'
import { answered, CAPFLOW, readSinks } from './durable-support.js'

interface Inspection {
  items: { total: number; ok: number; rejected: number; error: number }
  nodes: Array<{ node: string; done: number; rejected: number; failed: number; requests: number }>
}

const AGENTS = [
  'visual-guideline',
  'natural-perception',
  'structure-perception',
  'infographic-perception',
  'ui-perception',
  'texture-perception',
  'general-reasoning',
  'medical-reasoning',
  'knowledge-reasoning',
  'ocr',
  'coder',
  'video-guideline',
  'video-perception',
  'video-reasoning',
]

async function inspect(runDir: string, env: NodeJS.ProcessEnv): Promise<Inspection> {
  const result = await runCli(['inspect', runDir, '--json'], env)
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as Inspection
}

const requestsOf = (inspection: Inspection, node: string) =>
  inspection.nodes.find((entry) => entry.node === node)!.requests

describe('durable runs: resume after changes, rerun, inspect', () => {
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  let dir: Awaited<ReturnType<typeof tempDir>>
  let runDir: string

  beforeAll(async () => {
    servers = await startCapflowServers({ seed: 5 })
    dir = await tempDir('dataflow-resume-')
    runDir = join(dir.path, 'run')
    const first = await runCli(['run', CAPFLOW, '--out', runDir, '--cache', 'off', '-q'], servers.env)
    expect(first.code, first.stderr).toBe(0)
  })
  afterAll(async () => {
    await servers.close()
    await dir.remove()
  })

  it('after a summary prompt edit recomputes only the summary and the judge, says so first, and asks no agent again', async () => {
    const before = await inspect(runDir, servers.env)
    const vlmBefore = answered(servers.vlm)
    const llmBefore = answered(servers.llm)
    const prompt = 'Write one dense caption for the image from these notes.\n\n{{notes}}\n\n{{missing}}'
    const result = await runCli(
      ['run', CAPFLOW, '--resume', runDir, '--cache', 'off', '-q', '--set', `nodes.summary.with.prompt=${prompt}`],
      servers.env,
    )
    expect(result.code, result.stderr).toBe(0)
    const summaries = before.nodes.find((node) => node.node === 'summary')!.done
    const judged = before.nodes.find((node) => node.node === 'judge')!
    // The plan comes before the run's summary.
    const plan = result.stdout.indexOf('changed: summary (with, identity)')
    expect(plan).toBeGreaterThanOrEqual(0)
    expect(
      result.stdout.indexOf(`recomputed: summary (${summaries} items), judge (${judged.done + judged.rejected} items)`),
    ).toBeGreaterThan(plan)
    expect(plan).toBeLessThan(result.stdout.indexOf('run "capflow"'))

    const after = await inspect(runDir, servers.env)
    // New model answers are exactly the recomputed summaries (LLM) and judgements (VLM): no agent or router was asked.
    expect(answered(servers.llm).completed - llmBefore.completed).toBe(requestsOf(after, 'summary'))
    expect(answered(servers.vlm).completed - vlmBefore.completed).toBe(requestsOf(after, 'judge'))
    for (const agent of [...AGENTS, 'route']) expect(requestsOf(after, agent), agent).toBe(requestsOf(before, agent))
    expect(after.items.total).toBe(29)
    const sinks = await readSinks(runDir)
    for (const [name, sink] of Object.entries(sinks)) expect(new Set(sink.ids).size, name).toBe(sink.ids.length)
    expect(sinks['captions']!.ids.length + sinks['rejected']!.ids.length + sinks['errors']!.ids.length).toBe(29)
  })

  it('refuses to resume on a different input with DATAFLOW_RESUME_MISMATCH (exit 2) and leaves the run as it was', async () => {
    // A copy of the sample dataset's lists (images stay where they are).
    const sample = join(REPO, 'data/sample')
    const copy = join(dir.path, 'copied-data')
    await mkdir(join(copy, 'annotations'), { recursive: true })
    const metafile = JSON.parse(await readFile(join(sample, 'Metafile.json'), 'utf8')) as Record<
      string,
      { root: string }
    >
    for (const dataset of Object.values(metafile)) dataset.root = join(sample, dataset.root)
    for (const file of await readdir(join(sample, 'annotations')))
      await copyFile(join(sample, 'annotations', file), join(copy, 'annotations', file))
    await writeFile(join(copy, 'Metafile.json'), JSON.stringify(metafile))
    const onCopy = ['--set', `source.with.metafile=${join(copy, 'Metafile.json')}`]

    // Other source settings than the run's.
    const captions = await readFile(join(runDir, 'captions.jsonl'), 'utf8')
    const other = await runCli(['run', CAPFLOW, '--resume', runDir, '--cache', 'off', '-q', ...onCopy], servers.env)
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/DATAFLOW_RESUME_MISMATCH: the input differs from the run's \(fingerprint, with\)/)
    const limited = await runCli(
      ['run', CAPFLOW, '--resume', runDir, '--cache', 'off', '-q', '--limit', '5'],
      servers.env,
    )
    expect(limited.code).toBe(2)
    expect(limited.stderr).toMatch(
      /DATAFLOW_RESUME_MISMATCH: the run was started with no --limit; resuming it with --limit 5 would leave finished items outside the input/,
    )
    expect(await readFile(join(runDir, 'captions.jsonl'), 'utf8')).toBe(captions)

    // Same settings, but a data file changed since the run started.
    const small = join(dir.path, 'small')
    const started = await runCli(
      ['run', CAPFLOW, '--out', small, '--cache', 'off', '-q', '--limit', '3', ...onCopy],
      servers.env,
    )
    expect(started.code, started.stderr).toBe(0)
    const annotation = join(copy, 'annotations', 'natural-photos.json')
    const records = JSON.parse(await readFile(annotation, 'utf8')) as Array<{ conversations: Array<{ value: string }> }>
    records[0]!.conversations[0]!.value += ' (edited)'
    await writeFile(annotation, JSON.stringify(records))
    const changed = await runCli(
      ['run', CAPFLOW, '--resume', small, '--cache', 'off', '-q', '--limit', '3', ...onCopy],
      servers.env,
    )
    expect(changed.code).toBe(2)
    expect(changed.stderr).toMatch(/DATAFLOW_RESUME_MISMATCH: the input differs from the run's \(fingerprint\)/)
  })

  it('refuses a run directory of another pipeline', async () => {
    const result = await runCli(
      ['run', join(REPO, 'pipelines/metacaptioner.yaml'), '--resume', runDir, '-q', '--cache', 'off'],
      servers.env,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/DATAFLOW_RESUME_MISMATCH: the run in .* is of pipeline "capflow"/)
  })

  it('rerun --from judge re-judges every item and nothing else; the sinks hold each item once with its new outcome', async () => {
    const before = await inspect(runDir, servers.env)
    const vlmBefore = answered(servers.vlm).completed
    const llmBefore = answered(servers.llm).completed
    const result = await runCli(['rerun', runDir, '--from', 'judge', '--cache', 'off', '-q'], servers.env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('rerun (from judge, all items): 29 items selected')
    const after = await inspect(runDir, servers.env)
    expect(answered(servers.llm).completed).toBe(llmBefore)
    expect(answered(servers.vlm).completed - vlmBefore).toBe(requestsOf(after, 'judge'))
    expect(requestsOf(after, 'summary')).toBe(requestsOf(before, 'summary'))
    const sinks = await readSinks(runDir)
    const kept = sinks['captions']!.ids
    const rejected = sinks['rejected']!.ids
    expect(new Set([...kept, ...rejected]).size).toBe(kept.length + rejected.length)
    expect(kept.length).toBe(after.items.ok)
    expect(rejected.length).toBe(after.items.rejected)
  })

  it('inspect shows outcomes, nodes and one item trace with the router answer, agent notes, summary and judge scores', async () => {
    const summary = await runCli(['inspect', runDir], servers.env)
    expect(summary.code).toBe(0)
    expect(summary.stdout).toMatch(/items 29: ok \d+, rejected \d+, error 0, interrupted 0, unfinished 0/)
    expect(summary.stdout).toMatch(/^judge\s+\d+\s+\d+\s+0/m)
    const kept = (await readSinks(runDir))['captions']!.records[0]!
    const trace = await runCli(['inspect', runDir, '--item', String(kept['id'])], servers.env)
    expect(trace.code, trace.stderr).toBe(0)
    expect(trace.stdout).toContain(`item ${String(kept['id'])}`)
    for (const node of ['media', 'route', 'summary', 'judge'])
      expect(trace.stdout).toMatch(new RegExp(`^${node}: done`, 'm'))
    const json = await runCli(['inspect', runDir, '--item', String(kept['id']), '--json'], servers.env)
    const parsed = JSON.parse(json.stdout) as {
      outcome: string
      nodes: Array<{ node: string; output?: Record<string, unknown> }>
    }
    expect(parsed.outcome).toBe('ok')
    expect(parsed.nodes.find((node) => node.node === 'summary')!.output!['caption']).toBe(kept['caption'])
    expect(parsed.nodes.find((node) => node.node === 'route')!.output).toEqual(kept['router'])
    const missing = await runCli(['inspect', runDir, '--item', 'no-such-item'], servers.env)
    expect(missing.code).toBe(1)
  })
})
