import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { isDataflowError, type Shard, type SourceContext, type SourceRecord } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-metafile-shards-'))
  await mkdir(join(dir, 'root'), { recursive: true })
  const images = Array.from({ length: 120 }, (_, i) => ({ id: i, image: `i/${i}.jpg` }))
  const charts = Array.from({ length: 60 }, (_, i) => ({
    id: i,
    image: `c/${i}.png`,
    ...(i % 4 === 0 ? { task: 'natural' } : {}),
  }))
  const videos = Array.from({ length: 15 }, (_, i) => ({ id: i, video: `v/${i}.mp4` }))
  await put('imgs.json', JSON.stringify(images))
  await put('charts.jsonl', charts.map((record) => JSON.stringify(record)).join('\n'))
  await put('vids.json', JSON.stringify(videos))
  await put(
    'meta.json',
    JSON.stringify({
      imgs: { root: 'root', annotation: 'imgs.json', task: 'natural' },
      charts: { root: 'root', annotation: 'charts.jsonl', task: 'Structure & Math', sample_count: 50 },
      vids: { root: 'root', annotation: 'vids.json', modality: 'video' },
    }),
  )
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(shard?: Shard): SourceContext {
  return createIoContext(dir, shard)
}

async function put(path: string, content: string) {
  await mkdir(dirname(join(dir, path)), { recursive: true })
  await writeFile(join(dir, path), content)
}

async function readShard(
  config: Record<string, unknown>,
  shard?: Shard,
): Promise<{ records: SourceRecord[]; count: number | undefined }> {
  const source = await definition.create(configFor(definition, config), createContext(shard))
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return { records, count: await source.count?.() }
}

async function failure(config: Record<string, unknown>, shard?: Shard): Promise<{ code: string; message: string }> {
  try {
    await readShard(config, shard)
  } catch (error) {
    if (isDataflowError(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a failure')
}

/** The cost model of the defaults: image 1, four-agent image 4/3, video 8. */
const weightOf = (record: SourceRecord) =>
  record.data?.['modality'] === 'video' ? 8 : record.data?.['task'] === 'natural' ? 1 : 4 / 3

describe('source-metafile: shards', () => {
  it('declares that it selects its own shard', () => {
    expect(definition.shards).toBe(true)
  })

  it('puts every item in exactly one shard, in contiguous slices of balanced weight (n = 1..5)', async () => {
    const all = (await readShard({ metafile: 'meta.json' })).records
    expect(all).toHaveLength(120 + 50 + 15)
    const order = new Map(all.map((record, index) => [record.id, index]))
    const total = all.reduce((sum, record) => sum + weightOf(record), 0)
    for (let n = 1; n <= 5; n++) {
      const owner = new Map<string, number>()
      for (let index = 0; index < n; index++) {
        const { records, count } = await readShard({ metafile: 'meta.json' }, { index, count: n })
        expect(count).toBe(records.length)
        for (const record of records) {
          expect(owner.has(record.id), `${record.id} in two shards`).toBe(false)
          owner.set(record.id, index)
        }
        const weight = records.reduce((sum, record) => sum + weightOf(record), 0)
        expect(Math.abs(weight - total / n)).toBeLessThanOrEqual(8)
        // Contiguous: the shard's items are consecutive in the global order.
        const positions = records.map((record) => order.get(record.id)!)
        if (positions.length > 0) expect(positions[positions.length - 1]! - positions[0]!).toBe(positions.length - 1)
      }
      expect([...owner.keys()].sort()).toEqual([...order.keys()].sort())
    }
  })

  it('fingerprints differ between shards', async () => {
    const first = await definition.create(
      configFor(definition, { metafile: 'meta.json' }),
      createContext({ index: 0, count: 2 }),
    )
    const second = await definition.create(
      configFor(definition, { metafile: 'meta.json' }),
      createContext({ index: 1, count: 2 }),
    )
    expect(await first.fingerprint!()).not.toBe(await second.fingerprint!())
  })

  it('rejects an impossible shard', async () => {
    expect((await failure({ metafile: 'meta.json' }, { index: 3, count: 3 })).code).toBe('DATAFLOW_USAGE')
  })
})

describe('source-metafile: split-plan file', () => {
  const line = (fields: object) => JSON.stringify(fields)
  beforeEach(async () => {
    await put(
      'plans/plan.jsonl',
      [
        line({
          dataset: 'imgs',
          annotation: '../imgs.json',
          root: '../root',
          task: 'natural',
          start: 0,
          end: 50,
          shard: 0,
        }),
        line({
          dataset: 'vids',
          annotation: '../vids.json',
          root: '../root',
          modality: 'video',
          start: 0,
          end: 15,
          shard: 1,
        }),
        '',
        line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 50, end: 120, shard: 1 }),
        line({
          dataset: 'charts',
          annotation: '../charts.jsonl',
          root: '../root',
          task: 'document',
          start: 10,
          end: 12,
          shard: 0,
        }),
      ].join('\n'),
    )
  })

  it('takes exactly the slices of the current shard', async () => {
    const zero = await readShard({ plan: 'plans/plan.jsonl' }, { index: 0, count: 2 })
    expect(zero.records.map((r) => r.id)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `imgs/${i}`),
      'charts/10',
      'charts/11',
    ])
    expect(zero.count).toBe(52)
    expect(zero.records[0]!.data).toMatchObject({ task: 'natural', media: join(dir, 'root/i/0.jpg'), sourceIndex: 0 })
    expect(zero.records[50]!.data).toMatchObject({ task: 'document', sourceIndex: 10 })
    const one = await readShard({ plan: 'plans/plan.jsonl' }, { index: 1, count: 2 })
    expect(one.records.map((r) => r.id)).toEqual([
      ...Array.from({ length: 15 }, (_, i) => `vids/${i}`),
      ...Array.from({ length: 70 }, (_, i) => `imgs/${i + 50}`),
    ])
    expect(one.records[0]!.data).toMatchObject({ modality: 'video' })
    expect(one.records[15]!.data).not.toHaveProperty('task')
  })

  it('reads every slice without --shard, and filters by dataset', async () => {
    expect((await readShard({ plan: 'plans/plan.jsonl' })).records).toHaveLength(50 + 15 + 70 + 2)
    expect((await readShard({ plan: 'plans/plan.jsonl', datasets: ['charts'] })).records.map((r) => r.id)).toEqual([
      'charts/10',
      'charts/11',
    ])
  })

  it('refuses a plan made for more shards than the run has (one of one is everything)', async () => {
    // One shard of one is the whole plan.
    expect((await readShard({ plan: 'plans/plan.jsonl' }, { index: 0, count: 1 })).records).toHaveLength(137)
    await put(
      'plans/three.jsonl',
      line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 0, end: 1, shard: 2 }),
    )
    expect(await failure({ plan: 'plans/three.jsonl' }, { index: 0, count: 2 })).toEqual({
      code: 'DATAFLOW_USAGE',
      message: `${join(dir, 'plans/three.jsonl')}:1:1: the plan assigns shard 2, but this run is shard 1 of 2`,
    })
  })

  it('refuses overlapping slices, slices past the end of the file and wrong types, with their line', async () => {
    const plan = join(dir, 'plans/bad.jsonl')
    await put(
      'plans/bad.jsonl',
      [
        line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 0, end: 50, shard: 0 }),
        line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 40, end: 60, shard: 1 }),
      ].join('\n'),
    )
    expect(await failure({ plan: 'plans/bad.jsonl' })).toEqual({
      code: 'DATAFLOW_INPUT_INVALID',
      message: `${plan}:2:1: plan lines 1 and 2 overlap: both take records 40-49 of ${join(dir, 'imgs.json')}`,
    })
    await put(
      'plans/bad.jsonl',
      line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 100, end: 130, shard: 0 }),
    )
    expect(await failure({ plan: 'plans/bad.jsonl' })).toEqual({
      code: 'DATAFLOW_INPUT_INVALID',
      message: `${plan}:1:1: plan line 1 takes records up to 129 of ${join(dir, 'imgs.json')}, which holds 120`,
    })
    await put(
      'plans/bad.jsonl',
      `\n${line({ dataset: 'imgs', annotation: '../imgs.json', root: '../root', start: 5, end: '9', shard: 0 })}`,
    )
    expect(await failure({ plan: 'plans/bad.jsonl' })).toEqual({
      code: 'DATAFLOW_INPUT_INVALID',
      message: `${plan}:2:80: plan line 2: "end" must be a whole number >= 0, found "9"`,
    })
    await put(
      'plans/bad.jsonl',
      line({ dataset: 'imgs', annotation: '../nope.json', root: '../root', start: 0, end: 1, shard: 0 }),
    )
    expect(await failure({ plan: 'plans/bad.jsonl' })).toMatchObject({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: `${plan}:1:32: plan line 1: annotation ${join(dir, 'nope.json')} does not exist`,
    })
    await put('plans/bad.jsonl', '{"dataset": "imgs",}')
    expect(await failure({ plan: 'plans/bad.jsonl' })).toEqual({
      code: 'DATAFLOW_INPUT_INVALID',
      message: `${plan}:1:20: invalid JSON in the plan: trailing comma before '}'`,
    })
  })

  it('with validate: false, a slice past the end of the file fails when the reader gets there', async () => {
    await put(
      'plans/short.jsonl',
      line({ dataset: 'vids', annotation: '../vids.json', root: '../root', start: 10, end: 20, shard: 0 }),
    )
    const source = await definition.create(
      configFor(definition, { plan: 'plans/short.jsonl', validate: false }),
      createContext(),
    )
    expect(await source.count?.()).toBe(10)
    const ids: string[] = []
    const error = await (async () => {
      for await (const record of source.read()) ids.push(record.id)
    })().catch((e: unknown) => e)
    expect(ids).toEqual(['vids/10', 'vids/11', 'vids/12', 'vids/13', 'vids/14'])
    expect((error as Error).message).toContain('asks for records 10-19')
  })
})
