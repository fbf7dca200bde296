import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NodeResultRow } from './journal-rows.js'
import { RunJournal } from './run-journal.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataflow-journal-store-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const caption = Array.from({ length: 200 }, (_, n) => `word${n % 17} of the caption`).join(' ')

describe('RunJournal storage', () => {
  it('stores long outputs and items deflated, metrics as columns, and reads back exactly what was written', async () => {
    const path = join(dir, 'journal.sqlite')
    const journal = RunJournal.open(path)
    const node = journal.nodeId('summary')
    const fp = journal.fingerprintId(node, 'h', {})
    const rows: NodeResultRow[] = [
      {
        seq: 0,
        node,
        fp,
        status: 'done',
        output: JSON.stringify({ caption }),
        error: null,
        attempts: 1,
        startedAt: 1_700_000_000_000,
        metrics: { ms: 12.5, requests: 2, promptTokens: 100, completionTokens: 0, cached: 1, models: ['m-a', 'm-b'] },
      },
      {
        seq: 1,
        node,
        fp,
        status: 'failed',
        output: null,
        error: JSON.stringify({ code: 'DATAFLOW_NODE_FAILED', message: 'x'.repeat(400) }),
        attempts: 3,
        startedAt: 1_700_000_000_001,
        metrics: { ms: 0 },
      },
    ]
    for (const row of rows) journal.queueNodeResult(row)
    journal.queueItem({
      seq: 0,
      id: 'a',
      outcome: 'ok',
      ord: journal.takeOrd(),
      item: JSON.stringify({ text: caption }),
      rejection: null,
      error: null,
      errorCode: null,
      failures: null,
      finishedAt: 1_700_000_000_002,
    })
    journal.flush()
    expect(journal.nodeResults(0)).toEqual([rows[0]])
    expect(journal.nodeResults(1)).toEqual([rows[1]])
    expect(Object.keys(journal.nodeResults(0)[0]!.metrics)).toEqual(Object.keys(rows[0]!.metrics))
    expect(journal.finishedAfter(0, 10)).toMatchObject([{ id: 'a', item: JSON.stringify({ text: caption }) }])
    expect(journal.itemById('a')).toMatchObject({ seq: 0, item: JSON.stringify({ text: caption }) })
    expect([...journal.finishedItems()]).toMatchObject([{ id: 'a', item: JSON.stringify({ text: caption }) }])
    journal.close()

    const raw = new Database(path, { readonly: true })
    const stored = raw
      .prepare('SELECT output, error, typeof(output) AS kind FROM node_results ORDER BY seq')
      .all() as Array<{
      output: Buffer | null
      error: string | null
      kind: string
    }>
    // The long output is a deflated BLOB several times smaller than its text; the error stays text (inspect reads it in SQL).
    expect(stored[0]!.kind).toBe('blob')
    expect(stored[0]!.output!.length * 3).toBeLessThan(rows[0]!.output!.length)
    expect(typeof stored[1]!.error).toBe('string')
    raw.close()
  })

  it('keeps short texts as they are', () => {
    const path = join(dir, 'journal.sqlite')
    const journal = RunJournal.open(path)
    const node = journal.nodeId('route')
    const fp = journal.fingerprintId(node, 'h', {})
    journal.queueNodeResult({
      seq: 0,
      node,
      fp,
      status: 'done',
      output: '{"domain":"natural"}',
      error: null,
      attempts: 1,
      startedAt: 1,
      metrics: { ms: 1 },
    })
    journal.close()
    const raw = new Database(path, { readonly: true })
    expect(raw.prepare('SELECT output FROM node_results').get()).toEqual({ output: '{"domain":"natural"}' })
    raw.close()
  })

  it("deflates a field's later texts with a dictionary of its first ones, also in a later session and read-only", () => {
    const path = join(dir, 'journal.sqlite')
    const answer = (n: number) =>
      JSON.stringify({ caption: `${n}: ${Array.from({ length: 60 }, (_, w) => `term${(n * 7 + w) % 40}`).join(' ')}` })
    const row = (journal: RunJournal, seq: number): NodeResultRow => {
      const node = journal.nodeId('agent')
      return {
        seq,
        node,
        fp: journal.fingerprintId(node, 'h', {}),
        status: 'done',
        output: answer(seq),
        error: null,
        attempts: 1,
        startedAt: 1,
        metrics: { ms: 1 },
      }
    }
    const first = RunJournal.open(path)
    for (let seq = 0; seq < 40; seq++) first.queueNodeResult(row(first, seq))
    first.close()
    const second = RunJournal.open(path)
    for (let seq = 40; seq < 60; seq++) second.queueNodeResult(row(second, seq))
    second.close()

    const raw = new Database(path, { readonly: true })
    expect(raw.prepare('SELECT count(*) AS n FROM dictionaries').get()).toEqual({ n: 1 })
    const blobs = raw.prepare('SELECT seq, output FROM node_results ORDER BY seq').all() as Array<{
      seq: number
      output: Buffer
    }>
    raw.close()
    // The first texts carry no dictionary (header 0); once 8 KB were seen, later ones (also of the second session) use it and are smaller.
    expect(blobs[0]!.output[0]).toBe(0)
    expect(blobs[59]!.output[0]).toBe(1)
    const size = (from: number, to: number) => blobs.slice(from, to).reduce((sum, blob) => sum + blob.output.length, 0)
    expect(size(40, 60)).toBeLessThan(size(0, 20) * 0.8)
    const reader = RunJournal.openReadOnly(path)
    for (let seq = 0; seq < 60; seq++) expect(reader.nodeResults(seq)[0]!.output).toBe(answer(seq))
    reader.close()
  })
})
