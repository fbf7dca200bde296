// Durable runs through the real loader and runPipeline: fixture plugins (plain modules written to
// a temp folder, counting their calls in a global), a real SQLite journal, real files.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDataflowError } from '@dataflow/sdk'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { compileExpression } from '../expression/compile-expression.js'
import { loadPipeline } from '../pipeline/load-pipeline.js'
import { runPipeline, type RunPipelineOptions } from '../run/run-pipeline.js'
import type { ResumePlan } from './resume-plan.js'
import { RunJournal } from './run-journal.js'

export interface Calls {
  /** `node:itemId` -> times the node was invoked. */
  byNodeItem: Map<string, number>
  /** Items whose call to a node with `fails: true` throws. */
  failing: Set<string>
  /** While true, a node with `holdFrom` waits (until the item is aborted) on items with n >= holdFrom. */
  hold: boolean
}

declare global {
  var __durableCalls: Calls | undefined
}

export function resetCalls(): Calls {
  globalThis.__durableCalls = { byNodeItem: new Map(), failing: new Set(), hold: false }
  return globalThis.__durableCalls
}

const SOURCE = `
export default {
  kind: 'source', specVersion: 1, name: 'count-source', version: '1.0.0', description: 'count items',
  config: { type: 'object', properties: { count: { type: 'integer', default: 10 }, tag: { type: 'string', default: 'a' } }, additionalProperties: false },
  writes: { type: 'object', properties: { n: { type: 'integer' }, even: { type: 'boolean' } } },
  create(config) {
    return {
      count: async () => config.count,
      fingerprint: async () => 'count:' + config.count + ':' + config.tag,
      async *read() { for (let n = 0; n < config.count; n++) yield { id: 'item-' + n, data: { n, even: n % 2 === 0 } } },
    }
  },
}`

const NODE = `
export default {
  kind: 'node', specVersion: 1, name: 'step-node', version: '1.0.0', description: 'adds one',
  config: { type: 'object', properties: { add: { type: 'integer', default: 1 }, from: { type: 'string' }, prompt: { type: 'string', default: 'p' }, fails: { type: 'boolean', default: false }, holdFrom: { type: 'integer' } }, additionalProperties: false },
  writes: { type: 'object', properties: { value: { type: 'integer' } } },
  create(config, context) {
    return {
      identity: { prompt: config.prompt },
      async process(input, item) {
        const calls = globalThis.__durableCalls
        const key = context.nodeId + ':' + input.id
        calls.byNodeItem.set(key, (calls.byNodeItem.get(key) ?? 0) + 1)
        if (config.fails && calls.failing.has(input.id)) throw new Error('planned failure of ' + input.id)
        if (calls.hold && config.holdFrom !== undefined && input.item.n >= config.holdFrom) {
          await new Promise((resolve, reject) => item.signal.addEventListener('abort', () => reject(item.signal.reason), { once: true }))
        }
        const base = config.from ? input.get(config.from + '.value') : input.item.n
        return { value: base + config.add }
      },
    }
  },
}`

const SINK = `
import { closeSync, openSync, writeSync, fsyncSync, ftruncateSync, fstatSync } from 'node:fs'
export default {
  kind: 'sink', specVersion: 1, name: 'lines-sink', version: '1.0.0', description: 'json lines with byte checkpoints',
  config: { type: 'object', properties: { path: { type: 'string' }, checkpoints: { type: 'boolean', default: true } }, additionalProperties: false },
  create(config, context) {
    const path = context.resolveOutput(config.path)
    const resumeAt = config.checkpoints ? context.resumeFrom?.bytes : undefined
    const fd = openSync(path, resumeAt === undefined ? 'w' : 'r+')
    let bytes = 0
    if (resumeAt !== undefined) { ftruncateSync(fd, resumeAt); bytes = resumeAt }
    const sink = {
      write(record) { bytes += writeSync(fd, JSON.stringify(record) + '\\n', bytes) },
      close() { closeSync(fd) },
    }
    if (config.checkpoints) sink.checkpoint = () => { fsyncSync(fd); return { bytes } }
    return sink
  },
}`

/** A folder with the three fixture plugins; `pipeline(yaml)` writes a pipeline file there. */
export function createFixtureFolder(): { dir: string; pipeline(name: string, yaml: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-journal-'))
  writeFileSync(join(dir, 'count-source.mjs'), SOURCE)
  writeFileSync(join(dir, 'step-node.mjs'), NODE)
  writeFileSync(join(dir, 'lines-sink.mjs'), SINK)
  return {
    dir,
    pipeline(name, yaml) {
      const file = join(dir, name)
      writeFileSync(file, yaml)
      return file
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** a -> b -> (c for even items, d) -> e; sinks: kept (checkpoints), all (no checkpoints). */
export function graphYaml(
  options: { name?: string; count?: number; prompt?: string; when?: string; holdFrom?: number; fails?: boolean } = {},
): string {
  return `
version: 1
name: ${options.name ?? 'durable-test'}
source: { uses: ./count-source.mjs, with: { count: ${options.count ?? 10} } }
nodes:
  a: { uses: ./step-node.mjs }
  b: { uses: ./step-node.mjs, needs: [a], with: { from: a${options.fails ? ', fails: true' : ''} } }
  c: { uses: ./step-node.mjs, needs: [b], when: "${options.when ?? 'item.even'}", with: { from: b } }
  d: { uses: ./step-node.mjs, needs: [b], with: { from: b, prompt: "${options.prompt ?? 'p'}"${options.holdFrom === undefined ? '' : `, holdFrom: ${options.holdFrom}`} } }
  e: { uses: ./step-node.mjs, needs: [c, d], with: { from: d } }
sinks:
  kept: { uses: ./lines-sink.mjs, when: "outcome == 'ok'", with: { path: kept.jsonl }, select: { id: id, e: e.value, c: c.value } }
  all: { uses: ./lines-sink.mjs, when: "outcome != 'interrupted'", with: { path: all.jsonl, checkpoints: false } }
`
}

const folder = createFixtureFolder()
afterAll(() => folder.remove())
let calls: Calls
beforeEach(() => {
  calls = resetCalls()
})

async function run(
  yaml: string,
  out: string,
  options: RunPipelineOptions = {},
): Promise<{ plan: ResumePlan | undefined; report: Awaited<ReturnType<typeof runPipeline>>['report'] }> {
  const pipeline = await loadPipeline(folder.pipeline(`p-${Math.random().toString(36).slice(2)}.yaml`, yaml))
  let plan: ResumePlan | undefined
  const { report } = await runPipeline(pipeline, {
    out,
    quiet: true,
    logLevel: 'silent',
    ...options,
    onPlan: (value) => (plan = value),
  })
  return { plan, report }
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
const ids = (path: string) => lines(path).map((record) => String(record['id']))
const totalCalls = () => [...calls.byNodeItem.values()].reduce((sum, count) => sum + count, 0)
const newRunDir = () => mkdtempSync(join(folder.dir, 'run-'))

describe('durable runs', () => {
  it('journals every node result and outcome; a resume of a finished run calls nothing and keeps the sinks', async () => {
    const out = newRunDir()
    const first = await run(graphYaml(), out)
    expect(first.plan?.resumed).toBe(false)
    expect(first.report.outcomes.ok).toBe(10)
    const journal = RunJournal.openReadOnly(RunJournal.pathIn(out))
    const rows = journal.database.prepare('SELECT count(*) AS n FROM node_results').get() as { n: number }
    // a, b, d, e for every item and c for the even ones.
    expect(rows.n).toBe(10 * 4 + 5)
    journal.close()
    const kept = readFileSync(join(out, 'kept.jsonl'), 'utf8')
    const callsAfterFirst = totalCalls()

    const second = await run(graphYaml(), out)
    expect(second.plan).toMatchObject({
      resumed: true,
      kept: 10,
      unfinished: 0,
      changed: [],
      recompute: [],
      reopened: 0,
    })
    expect(totalCalls()).toBe(callsAfterFirst)
    expect(readFileSync(join(out, 'kept.jsonl'), 'utf8')).toBe(kept)
    expect(second.report.outcomes.ok).toBe(10)
    expect(second.report.nodes['a']!.done).toBe(0)
    // The sink without checkpoints is written again from the journal, each item once.
    expect(ids(join(out, 'all.jsonl')).sort()).toEqual(ids(join(out, 'kept.jsonl')).sort())
    // The first run of the file also loads the engine, sinks and report writer: seconds on a loaded machine.
  }, 30_000)

  it('resumes interrupted items without calling their finished nodes again; every item ends in the sinks once', async () => {
    const out = newRunDir()
    calls.hold = true
    const abort = new AbortController()
    const first = run(graphYaml({ holdFrom: 6 }), out, {
      abort: abort.signal,
      onStart: (handle) =>
        handle.progress$.subscribe((progress) => progress.done === 6 && abort.abort(new Error('test stop'))),
    })
    const { report } = await first
    expect(report.outcomes).toMatchObject({ ok: 6, interrupted: 4 })
    // Interrupted items are not final: they stay out of the sinks.
    expect(ids(join(out, 'kept.jsonl'))).toHaveLength(6)
    for (const n of [6, 7, 8, 9]) expect(calls.byNodeItem.get(`b:item-${n}`)).toBe(1)

    calls.hold = false
    const second = await run(graphYaml({ holdFrom: 6 }), out)
    expect(second.plan).toMatchObject({ resumed: true, kept: 6, unfinished: 4, recompute: [] })
    expect(second.report.outcomes).toMatchObject({ ok: 10, interrupted: 0 })
    expect(second.report.nodes['b']!.reused).toBe(4)
    // Every node ran once per item over both sessions, except d of the held items: it was in flight when the run stopped.
    for (const [key, count] of calls.byNodeItem) expect(count, key).toBe(/^d:item-[6-9]$/.test(key) ? 2 : 1)
    expect(ids(join(out, 'kept.jsonl')).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `item-${n}`).sort())
    expect(ids(join(out, 'all.jsonl'))).toHaveLength(10)
  })

  it('after a crash mid-write cuts each sink back to its last committed checkpoint and writes the later outcomes again', async () => {
    const out = newRunDir()
    await run(graphYaml(), out)
    const full = readFileSync(join(out, 'kept.jsonl'), 'utf8')
    const firstTwo = full.split('\n').slice(0, 2).join('\n') + '\n'
    // As if the process died after committing 2 outcomes at a checkpoint and 8 more without one, mid-line.
    const journal = RunJournal.open(RunJournal.pathIn(out))
    journal.database
      .prepare("UPDATE checkpoints SET ord = 2, value = ? WHERE sink = 'kept'")
      .run(JSON.stringify({ bytes: Buffer.byteLength(firstTwo) }))
    journal.close()
    appendFileSync(join(out, 'kept.jsonl'), '{"id":"item-torn","e":')
    const before = totalCalls()
    const resumed = await run(graphYaml(), out)
    expect(totalCalls()).toBe(before)
    expect(resumed.plan?.rewrittenSinks).toEqual(['all'])
    const after = readFileSync(join(out, 'kept.jsonl'), 'utf8')
    expect(after.startsWith(firstTwo)).toBe(true)
    expect(after.split('\n').filter(Boolean).sort()).toEqual(full.split('\n').filter(Boolean).sort())
  })

  it('recomputes only a changed node and its dependents, for the items that ran it, and says so in the plan', async () => {
    const out = newRunDir()
    await run(graphYaml(), out)
    calls = resetCalls()
    const { plan, report } = await run(graphYaml({ prompt: 'edited' }), out)
    expect(plan?.changed).toEqual([
      { node: 'd', parts: ['with', 'identity'] },
      { node: 'e', parts: ['upstream'] },
    ])
    expect(plan?.recompute).toEqual([
      { node: 'd', items: 10 },
      { node: 'e', items: 10 },
    ])
    expect(plan?.reopened).toBe(10)
    expect(new Set([...calls.byNodeItem.keys()].map((key) => key.split(':')[0]))).toEqual(new Set(['d', 'e']))
    expect(report.outcomes.ok).toBe(10)
    expect(ids(join(out, 'kept.jsonl'))).toHaveLength(10)
  })

  it('a changed `when` evaluates every finished item again, calling only what now runs', async () => {
    const out = newRunDir()
    await run(graphYaml(), out)
    calls = resetCalls()
    const { plan } = await run(graphYaml({ when: 'item.n >= 0' }), out)
    expect(plan?.reopenedAll).toBe(true)
    // c changed (its `when` is part of its fingerprint) and now runs for all 10 items; e depends on it.
    expect([...calls.byNodeItem.keys()].filter((key) => key.startsWith('c:'))).toHaveLength(10)
    expect([...calls.byNodeItem.keys()].filter((key) => key.startsWith('e:'))).toHaveLength(10)
    expect(
      [...calls.byNodeItem.keys()].filter(
        (key) => key.startsWith('a:') || key.startsWith('b:') || key.startsWith('d:'),
      ),
    ).toHaveLength(0)
  })

  it('refuses another pipeline or another input with DATAFLOW_RESUME_MISMATCH', async () => {
    const out = newRunDir()
    await run(graphYaml({ count: 4 }), out)
    const other = await run(graphYaml({ count: 4, name: 'other' }), out).catch((error: unknown) => error)
    expect(isDataflowError(other) && other.code).toBe('DATAFLOW_RESUME_MISMATCH')
    const input = await run(graphYaml({ count: 5 }), out).catch((error: unknown) => error)
    expect(isDataflowError(input) && input.code).toBe('DATAFLOW_RESUME_MISMATCH')
    expect((input as Error).message).toMatch(/the input differs from the run's \(fingerprint, with\)/)
    const limit = await run(graphYaml({ count: 4 }), out, { limit: 2 }).catch((error: unknown) => error)
    expect(isDataflowError(limit) && limit.code).toBe('DATAFLOW_RESUME_MISMATCH')
    expect((limit as Error).message).toMatch(/started with no --limit; resuming it with --limit 2/)
    expect(ids(join(out, 'kept.jsonl'))).toHaveLength(4)
  })

  it('extends a --limit pilot into a larger run and then the whole input, going on where it stopped', async () => {
    const out = newRunDir()
    const pilot = await run(graphYaml(), out, { limit: 4 })
    expect(pilot.report.outcomes.ok).toBe(4)
    // The report projects the whole input (the source counts 10 items), not the pilot's 4.
    expect(pilot.report.projection).toMatchObject({ items: 10, done: 4, basedOn: { items: 4 } })
    const afterPilot = totalCalls()
    const larger = await run(graphYaml(), out, { limit: 6 })
    expect(larger.plan).toMatchObject({ resumed: true, kept: 4, extended: { from: 4, to: 6 } })
    expect(larger.report.outcomes.ok).toBe(6)
    const full = await run(graphYaml(), out)
    expect(full.plan).toMatchObject({ kept: 6, extended: { from: 6, to: null } })
    expect(full.report.outcomes.ok).toBe(10)
    // Every node ran once per item over the three sessions: 4 per item and c for the 5 even items.
    expect(totalCalls() - afterPilot).toBe(6 * 4 + 3)
    for (const count of calls.byNodeItem.values()) expect(count).toBe(1)
    expect(ids(join(out, 'kept.jsonl')).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `item-${n}`).sort())
    const lower = await run(graphYaml(), out, { limit: 8 }).catch((error: unknown) => error)
    expect((lower as Error).message).toMatch(/started with no --limit/)
  })

  it('rerun --where retries only the failed items; --from recomputes a node and its dependents', async () => {
    const out = newRunDir()
    calls.failing.add('item-3')
    calls.failing.add('item-7')
    const first = await run(graphYaml({ fails: true }), out)
    expect(first.report.outcomes).toMatchObject({ ok: 8, error: 2 })
    expect(lines(join(out, 'errors.jsonl')).map((record) => record['id'])).toEqual(
      expect.arrayContaining(['item-3', 'item-7']),
    )
    calls = resetCalls()
    const retried = await run(graphYaml({ fails: true }), out, {
      rerun: { where: compileExpression("outcome == 'error'") },
    })
    expect(retried.plan?.rerun).toMatchObject({ selected: 2 })
    expect(retried.report.outcomes).toMatchObject({ ok: 10, error: 0 })
    expect([...calls.byNodeItem.keys()].every((key) => key.endsWith(':item-3') || key.endsWith(':item-7'))).toBe(true)
    expect(calls.byNodeItem.has('a:item-3')).toBe(false)
    expect(readFileSync(join(out, 'errors.jsonl'), 'utf8')).toBe('')
    expect(ids(join(out, 'kept.jsonl')).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `item-${n}`).sort())

    calls = resetCalls()
    const fromD = await run(graphYaml({ fails: true }), out, { rerun: { from: 'd' } })
    expect(fromD.plan?.recompute).toEqual([
      { node: 'd', items: 10 },
      { node: 'e', items: 10 },
    ])
    expect(new Set([...calls.byNodeItem.keys()].map((key) => key.split(':')[0]))).toEqual(new Set(['d', 'e']))
    expect(ids(join(out, 'kept.jsonl'))).toHaveLength(10)
    expect(ids(join(out, 'all.jsonl'))).toHaveLength(10)
  })

  it('takes one process per run directory: a live holder is refused, a dead one is taken over', async () => {
    const out = newRunDir()
    writeFileSync(join(out, 'run.lock'), `${process.ppid}\n`)
    const refused = await run(graphYaml({ count: 2 }), out).catch((error: unknown) => error)
    expect(isDataflowError(refused) && refused.code).toBe('DATAFLOW_USAGE')
    expect((refused as Error).message).toContain(`in use by another dataflow process (pid ${process.ppid})`)
    // No process can have this id: it is above the largest pid Linux allows (4194304).
    writeFileSync(join(out, 'run.lock'), '4194399\n')
    const { report } = await run(graphYaml({ count: 2 }), out)
    expect(report.outcomes.ok).toBe(2)
    expect(() => readFileSync(join(out, 'run.lock'))).toThrow()
  })

  it('commits queued writes once per turn and tells waiting listeners only after the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-journal-unit-'))
    try {
      const journal = RunJournal.open(join(dir, 'journal.sqlite'))
      const committed: number[] = []
      const node = journal.nodeId('a')
      const fp = journal.fingerprintId(node, 'h', {})
      journal.queueNodeResult(
        {
          seq: 0,
          node,
          fp,
          status: 'done',
          output: '{"x":1}',
          error: null,
          attempts: 1,
          startedAt: Date.now(),
          metrics: { ms: 1 },
        },
        { committed: (index) => committed.push(index) },
        7,
      )
      const reader = RunJournal.openReadOnly(join(dir, 'journal.sqlite'))
      expect(reader.nodeResults(0)).toHaveLength(0)
      expect(committed).toEqual([])
      await new Promise((resolve) => setImmediate(resolve))
      expect(committed).toEqual([7])
      expect(reader.nodeResults(0)).toMatchObject([{ status: 'done', output: '{"x":1}' }])
      reader.close()
      journal.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
