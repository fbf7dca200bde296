import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { IoContext, SinkRecord } from '@dataflow/sdk'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccuracySinkConfig } from './config.js'
import definition from './index.js'

const DEFAULTS: AccuracySinkConfig = {
  path: 'accuracy.json',
  benchmark: 'item.benchmark',
  category: 'item.category',
  correct: 'reasoner.correct',
  choice: 'reasoner.choice',
}

let dir: string
let logs: Array<Record<string, unknown>>
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-accuracy-'))
  logs = []
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): IoContext {
  const runDir = join(dir, 'run')
  return {
    logger: pino(
      { level: 'info' },
      {
        write: (line: string) => {
          logs.push(JSON.parse(line) as Record<string, unknown>)
        },
      },
    ),
    signal: new AbortController().signal,
    resolvePath: (path) => resolve(dir, path),
    resolveOutput: (path) => resolve(runDir, path),
    runDir,
  }
}

/** A record as the engine writes it to a sink without `select:`. */
function finished(
  id: string,
  benchmark: string | undefined,
  category: string | undefined,
  reasoner: Record<string, unknown> | undefined,
  outcome = 'ok',
): SinkRecord {
  const item = { ...(benchmark === undefined ? {} : { benchmark }), ...(category === undefined ? {} : { category }) }
  return {
    id,
    outcome,
    item,
    outputs: {
      media: { modality: 'image' },
      caption: { caption: 'text' },
      ...(reasoner === undefined ? {} : { reasoner }),
    },
    ...(outcome === 'error'
      ? {
          error: {
            node: 'source',
            error: { code: 'DATAFLOW_INPUT_INVALID', message: 'row 3: the question is missing' },
            attempts: 1,
          },
        }
      : {}),
  }
}
const right = (choice: string) => ({
  answer: '...',
  choice,
  correct: true,
  groundTruth: choice,
  extractedBy: 'explicit',
})
const wrong = (choice: string | null) => ({
  answer: '...',
  choice,
  correct: false,
  groundTruth: 'A',
  extractedBy: choice === null ? 'none' : 'explicit',
})

describe('sink-accuracy', () => {
  it('aggregates per benchmark and category, counts errors and unanswered as wrong, writes the file and logs a table', async () => {
    const sink = await definition.create(DEFAULTS, createContext())
    const records = [
      finished('MMB/0', 'MMB', 'ocr', right('B')),
      finished('MMB/1', 'MMB', 'ocr', wrong('C')),
      finished('MMB/2', 'MMB', 'counting', right('A')),
      finished('MMB/3', 'MMB', 'counting', wrong(null)),
      finished('MMB/4', 'MMB', 'counting', undefined, 'error'),
      finished('MMB/row-9', undefined, undefined, undefined, 'error'),
      finished('AI2D/7', 'AI2D', undefined, right('D')),
      finished('AI2D/8', 'AI2D', undefined, undefined, 'rejected'),
      finished('AI2D/9', 'AI2D', undefined, undefined, 'interrupted'),
    ]
    for (const record of records) await sink.write(record)
    await sink.close()
    const report = JSON.parse(await readFile(join(dir, 'run/accuracy.json'), 'utf8'))
    expect(report).toEqual({
      benchmarks: {
        AI2D: {
          total: 2,
          correct: 1,
          accuracy: 0.5,
          unanswered: 0,
          errors: 1,
          categories: { uncategorized: { total: 2, correct: 1, accuracy: 0.5 } },
        },
        MMB: {
          total: 6,
          correct: 2,
          accuracy: 0.3333,
          unanswered: 1,
          errors: 2,
          categories: {
            counting: { total: 3, correct: 1, accuracy: 0.3333 },
            ocr: { total: 2, correct: 1, accuracy: 0.5 },
            uncategorized: { total: 1, correct: 0, accuracy: 0 },
          },
        },
      },
      overall: { total: 8, correct: 3, accuracy: 0.375, unanswered: 1, errors: 3, benchmarkMean: 0.4167 },
    })
    const summary = logs.find((log) => typeof log['msg'] === 'string' && log['msg'].startsWith('accuracy'))
    expect(summary?.['msg']).toBe(
      [
        'accuracy',
        'benchmark  total  correct  accuracy  unanswered  errors',
        'AI2D           2        1     50.0%           0       1',
        'MMB            6        2     33.3%           1       2',
        'overall        8        3     37.5%           1       3',
        'mean of benchmarks: 41.7%',
      ].join('\n'),
    )
    expect(summary).toMatchObject({ interrupted: 1, path: join(dir, 'run/accuracy.json') })
  })

  it('counts an item delivered twice once, with its last verdict', async () => {
    const sink = await definition.create(DEFAULTS, createContext())
    await sink.write(finished('B/1', 'B', 'x', undefined, 'error'))
    await sink.write(finished('B/1', 'B', 'x', right('A')))
    await sink.close()
    const report = JSON.parse(await readFile(join(dir, 'run/accuracy.json'), 'utf8'))
    expect(report.benchmarks.B).toMatchObject({ total: 1, correct: 1, errors: 0 })
  })

  it('reads records shaped by select: with custom paths, and writes where path says', async () => {
    const sink = await definition.create(
      { path: 'scores/acc.json', benchmark: 'bench', category: 'cat', correct: 'ok', choice: 'picked' },
      createContext(),
    )
    await sink.write({ id: 'x/1', bench: 'X', cat: 'c1', ok: true, picked: 'A' })
    await sink.write({ id: 'x/2', bench: 'X', cat: 'c1', ok: false, picked: 'B' })
    await sink.write({ id: 'x/3', bench: 'X', cat: 'c2', ok: false, picked: null })
    await sink.close()
    const report = JSON.parse(await readFile(join(dir, 'run/scores/acc.json'), 'utf8'))
    expect(report.benchmarks.X).toEqual({
      total: 3,
      correct: 1,
      accuracy: 0.3333,
      unanswered: 1,
      errors: 0,
      categories: { c1: { total: 2, correct: 1, accuracy: 0.5 }, c2: { total: 1, correct: 0, accuracy: 0 } },
    })
  })

  it('writes a snapshot on flush, an empty report for an empty run, and refuses writes after close', async () => {
    const sink = await definition.create(DEFAULTS, createContext())
    await sink.flush?.()
    expect(JSON.parse(await readFile(join(dir, 'run/accuracy.json'), 'utf8'))).toEqual({
      benchmarks: {},
      overall: { total: 0, correct: 0, accuracy: null, unanswered: 0, errors: 0, benchmarkMean: null },
    })
    await sink.write(finished('M/1', 'M', 'c', right('A')))
    await sink.flush?.()
    expect(JSON.parse(await readFile(join(dir, 'run/accuracy.json'), 'utf8')).overall).toMatchObject({
      total: 1,
      accuracy: 1,
    })
    await sink.close()
    await sink.close()
    expect(() => sink.write(finished('M/2', 'M', 'c', right('A')))).toThrow(/after it was closed/)
  })

  it('refuses an unusable path in the config', async () => {
    expect(() => definition.create({ ...DEFAULTS, correct: 'reasoner..correct' }, createContext())).toThrow(
      /^correct: "reasoner..correct" is not a valid path/,
    )
  })
})

describe('accuracy sink in a resumed run', () => {
  it('gives the totals of an uninterrupted run when the engine replays the finished items into a fresh sink', async () => {
    const items = [
      finished('R/1', 'R', 'a', right('A')),
      finished('R/2', 'R', 'a', undefined, 'error'),
      finished('R/3', 'R', 'b', right('A')),
      finished('R/4', 'R', 'b', right('A')),
    ]
    const uninterrupted = await definition.create(DEFAULTS, createContext())
    for (const item of items) await uninterrupted.write(item)
    await uninterrupted.close()
    const expected = await readFile(join(dir, 'run/accuracy.json'), 'utf8')

    // First process: two items, a snapshot, then killed (no close).
    const killed = await definition.create(DEFAULTS, createContext())
    for (const item of items.slice(0, 2)) await killed.write(item)
    await killed.flush?.()
    // Resumed process: a fresh sink gets the finished items again from the journal, then the rest.
    const resumed = await definition.create(DEFAULTS, createContext())
    for (const item of items) await resumed.write(item)
    await resumed.close()
    expect(await readFile(join(dir, 'run/accuracy.json'), 'utf8')).toBe(expected)
  })
})
