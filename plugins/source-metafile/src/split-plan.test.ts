import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { configFor } from '@dataflow/sdk/testing'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { SourceContext, SourceRecord } from '@dataflow/sdk'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'
import { createSplitPlan } from './split-plan.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'split-plan-'))
  await mkdir(join(dir, 'data/root'), { recursive: true })
  await writeFile(
    join(dir, 'data/a.json'),
    JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ id: i, image: `${i}.jpg` }))),
  )
  await writeFile(
    join(dir, 'data/b.json'),
    JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ id: i, video: `${i}.mp4` }))),
  )
  await writeFile(
    join(dir, 'data/meta.json'),
    JSON.stringify({
      a: { root: 'root', annotation: 'a.json', task: 'document' },
      b: { root: 'root', annotation: 'b.json', modality: 'video' },
    }),
  )
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const context = (shard?: { index: number; count: number }): SourceContext => ({
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  resolvePath: (path) => resolve(dir, path),
  resolveOutput: (path) => resolve(dir, 'run', path),
  runDir: join(dir, 'run'),
  shard,
})

async function ids(config: Record<string, unknown>, shard?: { index: number; count: number }) {
  const source = await definition.create(configFor(definition, config), context(shard))
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return records.map((record) => record.id)
}

describe('createSplitPlan', () => {
  it('writes the plan the source computes, and reading the plan gives the same shards', async () => {
    const lines = await createSplitPlan(join(dir, 'data/meta.json'), 3, { planFolder: join(dir, 'plans') })
    // 30 document images of weight 4/3 (40) + 5 videos of weight 8 (40): 80, about 26.7 per shard.
    expect(lines).toEqual([
      {
        dataset: 'a',
        annotation: '../data/a.json',
        root: '../data/root',
        task: 'document',
        start: 0,
        end: 20,
        shard: 0,
        weight: 26.667,
      },
      {
        dataset: 'a',
        annotation: '../data/a.json',
        root: '../data/root',
        task: 'document',
        start: 20,
        end: 30,
        shard: 1,
        weight: 13.333,
      },
      {
        dataset: 'b',
        annotation: '../data/b.json',
        root: '../data/root',
        modality: 'video',
        start: 0,
        end: 2,
        shard: 1,
        weight: 16,
      },
      {
        dataset: 'b',
        annotation: '../data/b.json',
        root: '../data/root',
        modality: 'video',
        start: 2,
        end: 5,
        shard: 2,
        weight: 24,
      },
    ])
    await mkdir(join(dir, 'plans'))
    await writeFile(join(dir, 'plans/plan.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n'))
    for (let index = 0; index < 3; index++) {
      expect(await ids({ plan: 'plans/plan.jsonl' }, { index, count: 3 })).toEqual(
        await ids({ metafile: 'data/meta.json' }, { index, count: 3 }),
      )
    }
  })
})
