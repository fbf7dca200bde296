// A resumed run continues a source that gives positions after the finished prefix, instead of
// reading the input again from the start: real loader, runPipeline and SQLite journal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadPipeline } from '../pipeline/load-pipeline.js'
import { runPipeline, type RunPipelineOptions } from '../run/run-pipeline.js'

interface SeekCalls {
  /** The `after` of every read() call (null: from the start). */
  reads: Array<Record<string, unknown> | null>
  /** Records yielded by the source over all reads. */
  yielded: number
  hold: boolean
}

declare global {
  var __seekCalls: SeekCalls
}

const SOURCE = `
export default {
  kind: 'source', specVersion: 1, name: 'seek-source', version: '1.0.0', description: 'items with positions',
  config: { type: 'object', properties: { count: { type: 'integer', default: 10 }, positions: { type: 'boolean', default: true } }, additionalProperties: false },
  writes: { type: 'object', properties: { n: { type: 'integer' } } },
  create(config) {
    return {
      count: async () => config.count,
      fingerprint: async () => 'seek:' + config.count,
      async *read(after) {
        globalThis.__seekCalls.reads.push(after ?? null)
        for (let n = after?.next ?? 0; n < config.count; n++) {
          globalThis.__seekCalls.yielded++
          yield config.positions ? { id: 'item-' + n, data: { n }, position: { next: n + 1 } } : { id: 'item-' + n, data: { n } }
        }
      },
    }
  },
}`

const NODE = `
export default {
  kind: 'node', specVersion: 1, name: 'hold-node', version: '1.0.0', description: 'holds some items',
  config: { type: 'object', properties: { holdFrom: { type: 'integer', default: 6 } }, additionalProperties: false },
  writes: { type: 'object', properties: { value: { type: 'integer' } } },
  create(config) {
    return {
      async process(input, item) {
        if (globalThis.__seekCalls.hold && input.item.n >= config.holdFrom)
          await new Promise((resolve, reject) => item.signal.addEventListener('abort', () => reject(item.signal.reason), { once: true }))
        return { value: input.item.n * 2 }
      },
    }
  },
}`

const SINK = `
import { closeSync, openSync, writeSync, fsyncSync, ftruncateSync } from 'node:fs'
export default {
  kind: 'sink', specVersion: 1, name: 'lines-sink', version: '1.0.0', description: 'json lines with byte checkpoints',
  config: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false },
  create(config, context) {
    const resumeAt = context.resumeFrom?.bytes
    const fd = openSync(context.resolveOutput(config.path), resumeAt === undefined ? 'w' : 'r+')
    let bytes = 0
    if (resumeAt !== undefined) { ftruncateSync(fd, resumeAt); bytes = resumeAt }
    return {
      write(record) { bytes += writeSync(fd, JSON.stringify(record) + '\\n', bytes) },
      checkpoint() { fsyncSync(fd); return { bytes } },
      close() { closeSync(fd) },
    }
  },
}`

const dir = mkdtempSync(join(tmpdir(), 'dataflow-source-resume-'))
writeFileSync(join(dir, 'seek-source.mjs'), SOURCE)
writeFileSync(join(dir, 'hold-node.mjs'), NODE)
writeFileSync(join(dir, 'lines-sink.mjs'), SINK)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const yaml = (positions: boolean) => `
version: 1
name: source-resume
source: { uses: ./seek-source.mjs, with: { positions: ${positions} } }
nodes:
  double: { uses: ./hold-node.mjs }
sinks:
  out: { uses: ./lines-sink.mjs, with: { path: out.jsonl }, select: { id: id, value: double.value } }
`

async function run(positions: boolean, out: string, options: RunPipelineOptions = {}) {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, yaml(positions))
  const pipeline = await loadPipeline(file)
  return (await runPipeline(pipeline, { out, quiet: true, logLevel: 'silent', ...options })).report
}

/** Runs until 6 items are done (items 6..9 are held), then stops: 6 finished, 4 interrupted. */
async function interruptedRun(positions: boolean, out: string) {
  globalThis.__seekCalls = { reads: [], yielded: 0, hold: true }
  const abort = new AbortController()
  const report = await run(positions, out, {
    abort: abort.signal,
    onStart: (handle) =>
      handle.progress$.subscribe((progress) => progress.done === 6 && abort.abort(new Error('stop'))),
  })
  expect(report.outcomes).toMatchObject({ ok: 6, interrupted: 4 })
  globalThis.__seekCalls = { reads: [], yielded: 0, hold: false }
}

const outputIds = (out: string) =>
  readFileSync(join(out, 'out.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id)

describe('resume with source positions', () => {
  it('continues the source after the finished prefix: finished items are not read again', async () => {
    const out = mkdtempSync(join(dir, 'run-'))
    await interruptedRun(true, out)
    const report = await run(true, out)
    expect(globalThis.__seekCalls.reads).toEqual([{ next: 6 }])
    expect(globalThis.__seekCalls.yielded).toBe(4)
    expect(report.outcomes).toMatchObject({ ok: 10, interrupted: 0 })
    expect(outputIds(out).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `item-${n}`).sort())
    // A third session reads nothing but the end of the input.
    const again = await run(true, out)
    expect(globalThis.__seekCalls.reads.at(-1)).toEqual({ next: 10 })
    expect(again.outcomes.ok).toBe(10)
    expect(outputIds(out)).toHaveLength(10)
  })

  it('reads from the start when the source gives no positions', async () => {
    const out = mkdtempSync(join(dir, 'run-'))
    await interruptedRun(false, out)
    const report = await run(false, out)
    expect(globalThis.__seekCalls.reads).toEqual([null])
    expect(globalThis.__seekCalls.yielded).toBe(10)
    expect(report.outcomes.ok).toBe(10)
    expect(outputIds(out)).toHaveLength(10)
  })

  it('counts --limit from the start of the input, not from the resume point', async () => {
    const out = mkdtempSync(join(dir, 'run-'))
    globalThis.__seekCalls = { reads: [], yielded: 0, hold: false }
    await run(true, out, { limit: 4 })
    const report = await run(true, out, { limit: 4 })
    // The 4 items of the limit are finished: the resumed session does not even open the source.
    expect(globalThis.__seekCalls.reads).toEqual([null])
    expect(globalThis.__seekCalls.yielded).toBe(4)
    expect(report.outcomes.ok).toBe(4)
    expect(outputIds(out)).toHaveLength(4)
  })
})
