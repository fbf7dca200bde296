import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDataflowError } from '@dataflow/sdk'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mergeRuns } from './merge-runs.js'
import type { RunReport } from './run-report.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataflow-merge-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function writeRun(name: string, report: Partial<RunReport>): string {
  const runDir = join(dir, name)
  mkdirSync(runDir)
  const full = {
    pipeline: { name: 'capflow', file: 'p.yaml' },
    runDir,
    status: 'completed',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    wallMs: 10_000,
    input: 10,
    expected: 10,
    outcomes: { ok: 8, rejected: 1, error: 1, interrupted: 0 },
    errorRate: 0.1,
    itemsPerSecond: 1,
    errorsByCode: { DATAFLOW_MEDIA_INVALID: 1 },
    nodes: { judge: { done: 9, skipped: 0, failed: 0, rejected: 1, error: 0, cancelled: 0, reused: 0 } },
    sinks: { captions: 8 },
    outputs: { captions: ['captions-00000.jsonl'], '#errors': ['errors.jsonl'] },
    inference: {
      models: { vlm: { requests: 20, promptTokens: 1000, completionTokens: 100, gpuHours: 0.5 } },
      nodes: {},
      cost: { byTokens: {}, byGpu: { USD: 1.25 }, assumptions: [] },
    },
    media: null,
    ...report,
  }
  writeFileSync(join(runDir, 'report.json'), JSON.stringify(full))
  return runDir
}

describe('mergeRuns', () => {
  it('adds up outcomes, nodes and usage, spans the wall time, lists every output file absolute, checks shard coverage', () => {
    const first = writeRun('a', { shard: '0/3' })
    const second = writeRun('b', {
      shard: '2/3',
      startedAt: '2026-01-01T00:00:05.000Z',
      finishedAt: '2026-01-01T00:00:20.000Z',
      outputs: { captions: ['captions-00000.jsonl', 'captions-00001.jsonl'], '#errors': ['/elsewhere/errors.jsonl'] },
    })
    const merged = mergeRuns([first, second])
    expect(merged).toMatchObject({
      pipeline: 'capflow',
      input: 20,
      expected: 20,
      outcomes: { ok: 16, rejected: 2, error: 2, interrupted: 0 },
      errorRate: 0.1,
      errorsByCode: { DATAFLOW_MEDIA_INVALID: 2 },
      wallMs: 20_000,
      itemsPerSecond: 1,
      nodes: { judge: { done: 18, rejected: 2 } },
      models: { vlm: { requests: 40, promptTokens: 2000, completionTokens: 200, gpuHours: 1 } },
      cost: { byGpu: { USD: 2.5 } },
      shards: { count: 3, missing: [1], repeated: [] },
    })
    expect(merged.outputs).toEqual({
      captions: [
        join(first, 'captions-00000.jsonl'),
        join(second, 'captions-00000.jsonl'),
        join(second, 'captions-00001.jsonl'),
      ],
      '#errors': [join(first, 'errors.jsonl'), '/elsewhere/errors.jsonl'],
    })
    expect(merged.notes).toEqual(['shards missing: 1/3'])
  })

  it('says which runs are unfinished or resumed and which shards were given twice', () => {
    const runs = [
      writeRun('a', { shard: '0/2', status: 'stopped' }),
      writeRun('b', { shard: '0/2', resume: { resumed: true } as NonNullable<RunReport['resume']> }),
    ]
    const merged = mergeRuns(runs)
    expect(merged.shards).toEqual({ count: 2, missing: [1], repeated: [0] })
    expect(merged.notes).toEqual([
      `${runs[0]}: stopped, not completed (resume it to finish its items)`,
      `${runs[1]}: resumed; its node counts, usage and cost are of its latest session only (outcomes cover the whole run)`,
      'shards missing: 1/2',
      'shards given more than once (their items are counted twice): 0/2',
    ])
  })

  it('refuses runs of different pipelines and directories without a report', () => {
    const capflow = writeRun('a', {})
    const other = writeRun('b', { pipeline: { name: 'metacaptioner', file: 'm.yaml' } })
    const mixed = (() => {
      try {
        return mergeRuns([capflow, other])
      } catch (error) {
        return error
      }
    })()
    expect(isDataflowError(mixed) && mixed.message).toBe('the runs are of different pipelines: capflow, metacaptioner')
    expect(() => mergeRuns([join(dir, 'nothing')])).toThrow(/holds no report.json/)
  })
})
