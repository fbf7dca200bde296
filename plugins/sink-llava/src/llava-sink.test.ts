import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDataflowError, type IoContext } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'
import { pickInstruction } from './pick-instruction.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-llava-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): IoContext {
  return createIoContext(dir)
}

async function exportRecords(config: Record<string, unknown>, records: Record<string, unknown>[]) {
  const sink = await definition.create(configFor(definition, config), createContext())
  for (const record of records) await sink.write(record)
  await sink.close()
  return readFile(join(dir, 'run', typeof config['path'] === 'string' ? config['path'] : 'train.json'), 'utf8')
}

describe('sink-llava', () => {
  it('writes a JSON array of LLaVA conversations by default (train.json)', async () => {
    const text = await exportRecords({}, [
      { id: 'coco/1', image: 'a/1.jpg', caption: 'A cat.', width: 640, height: 480, modality: 'image' },
      { id: 'vid/2', video: 'v/2.mp4', modality: 'video', caption: 'A dog runs.' },
    ])
    expect(JSON.parse(text)).toEqual([
      {
        id: 'coco/1',
        image: 'a/1.jpg',
        width: 640,
        height: 480,
        conversations: [
          { from: 'human', value: '<image>\nDescribe this image in detail.' },
          { from: 'gpt', value: 'A cat.' },
        ],
      },
      {
        id: 'vid/2',
        video: 'v/2.mp4',
        conversations: [
          { from: 'human', value: '<video>\nDescribe this video in detail.' },
          { from: 'gpt', value: 'A dog runs.' },
        ],
      },
    ])
  })

  it('writes a valid empty array when nothing was kept', async () => {
    expect(JSON.parse(await exportRecords({}, []))).toEqual([])
  })

  it('writes JSONL for a .jsonl path, reading nested fields', async () => {
    const text = await exportRecords(
      { path: 'train.jsonl', captionField: 'summary.caption', mediaField: 'item.image', idField: 'item.id' },
      [{ item: { id: 7, image: 'x.png' }, summary: { caption: 'Text "quoted"\nnext' } }],
    )
    const lines = text.split('\n')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0]!)).toEqual({
      id: 7,
      image: 'x.png',
      conversations: [
        { from: 'human', value: '<image>\nDescribe this image in detail.' },
        { from: 'gpt', value: 'Text "quoted"\nnext' },
      ],
    })
  })

  it('uses mediaField for video records that have no video field (e.g. source-files relativePath)', async () => {
    const text = await exportRecords({ path: 'v.jsonl', mediaField: 'relativePath' }, [
      { id: 'clip.mp4', relativePath: 'clips/clip.mp4', modality: 'video', caption: 'c' },
    ])
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ video: 'clips/clip.mp4' })
  })

  it('picks from an instruction list deterministically per id', async () => {
    const instruction = ['Describe.', 'Explain the picture.', 'What is shown?']
    const records = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, image: `${i}.jpg`, caption: 'c' }))
    const first = JSON.parse(await exportRecords({ instruction }, records)) as { conversations: { value: string }[] }[]
    const second = JSON.parse(await exportRecords({ instruction }, records)) as { conversations: { value: string }[] }[]
    const prompts = first.map((entry) => entry.conversations[0]!.value)
    expect(prompts).toEqual(second.map((entry) => entry.conversations[0]!.value))
    expect(new Set(prompts)).toEqual(new Set(instruction.map((text) => `<image>\n${text}`)))
    expect(pickInstruction(instruction, 'i3')).toBe(pickInstruction(instruction, 'i3'))
  })

  it('throws DATAFLOW_INPUT_INVALID from write for a record without a caption or media path', async () => {
    const sink = await definition.create(configFor(definition, { path: 'e.jsonl' }), createContext())
    const noCaption = await Promise.resolve(sink.write({ id: 'a', image: 'a.jpg', caption: '  ' })).catch(
      (e: unknown) => e,
    )
    expect(isDataflowError(noCaption) && noCaption.code).toBe('DATAFLOW_INPUT_INVALID')
    expect((noCaption as Error).message).toBe('record "a" has no caption at "caption" (found "  ")')
    const noImage = await Promise.resolve(sink.write({ id: 'b', caption: 'x' })).catch((e: unknown) => e)
    expect((noImage as Error).message).toBe('record "b" has no image path at "image" (found nothing)')
    await sink.write({ id: 'c', image: 'c.jpg', caption: 'ok' })
    await sink.close()
    await sink.close()
    const lines = (await readFile(join(dir, 'run/e.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['c'])
  })

  it('rejects an unusable field path at create', async () => {
    const error = await Promise.resolve(
      definition.create(configFor(definition, { captionField: 'a..b' }), createContext()),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
  })
})

describe('sink-llava checkpoints', () => {
  const record = (n: number) => ({ id: `d/${n}`, image: `${n}.jpg`, caption: `Caption ${n}.`, modality: 'image' })

  it('resumes a JSON array from a checkpoint: cut back before the torn tail and the closing bracket, entries go on', async () => {
    const path = join(dir, 'run', 'train.json')
    const sink = await definition.create(configFor(definition, {}), createContext())
    for (const n of [1, 2]) await sink.write(record(n))
    const checkpoint = await sink.checkpoint!()
    expect(checkpoint).toEqual({ file: 0, bytes: (await readFile(path)).length, records: 2, total: 2 })
    // Written after the checkpoint, then the process "dies": a record the journal never committed.
    await sink.write(record(3))
    await sink.close()

    const resumed = await definition.create(configFor(definition, {}), { ...createContext(), resumeFrom: checkpoint })
    for (const n of [3, 4]) await resumed.write(record(n))
    await resumed.close()
    const entries = JSON.parse(await readFile(path, 'utf8')) as Array<{ id: string }>
    expect(entries.map((entry) => entry.id)).toEqual(['d/1', 'd/2', 'd/3', 'd/4'])
  })

  it('resumes a JSONL export and an empty array', async () => {
    const jsonl = await definition.create(configFor(definition, { path: 'train.jsonl' }), createContext())
    await jsonl.write(record(1))
    const atOne = await jsonl.checkpoint!()
    await jsonl.write(record(2))
    await jsonl.close()
    const again = await definition.create(configFor(definition, { path: 'train.jsonl' }), {
      ...createContext(),
      resumeFrom: atOne,
    })
    await again.write(record(2))
    await again.close()
    const lines = (await readFile(join(dir, 'run', 'train.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['d/1', 'd/2'])

    const empty = await definition.create(configFor(definition, { path: 'empty.json' }), createContext())
    const atStart = await empty.checkpoint!()
    await empty.close()
    const reopened = await definition.create(configFor(definition, { path: 'empty.json' }), {
      ...createContext(),
      resumeFrom: atStart,
    })
    await reopened.close()
    expect(JSON.parse(await readFile(join(dir, 'run', 'empty.json'), 'utf8'))).toEqual([])
  })

  it('refuses to resume a file shorter than its checkpoint', async () => {
    const sink = await definition.create(configFor(definition, {}), createContext())
    await sink.write(record(1))
    const checkpoint = await sink.checkpoint!()
    await sink.close()
    const error = await Promise.resolve(
      definition.create(configFor(definition, {}), {
        ...createContext(),
        resumeFrom: { ...checkpoint, bytes: 10_000 },
      }),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_RESUME_MISMATCH')
  })
})

describe('sink-llava rotation', () => {
  const record = (n: number) => ({ id: `d/${n}`, image: `${n}.jpg`, caption: `Caption ${n}.`, modality: 'image' })
  const file = (name: string) => join(dir, 'run', name)
  const idsOf = async (name: string) =>
    (JSON.parse(await readFile(file(name), 'utf8')) as Array<{ id: string }>).map((entry) => entry.id)

  it('writes every file of a rotated JSON export as a complete array, also across a resume', async () => {
    const sink = await definition.create(configFor(definition, { rotateEvery: 2 }), createContext())
    for (const n of [1, 2, 3]) await sink.write(record(n))
    const checkpoint = await sink.checkpoint!()
    await sink.write(record(4))
    await sink.write(record(5))
    // Killed here: train-00001.json is unterminated and train-00002.json holds an entry the journal never committed.
    await sink.flush!()
    const resumed = await definition.create(configFor(definition, { rotateEvery: 2 }), {
      ...createContext(),
      resumeFrom: checkpoint,
    })
    for (const n of [4, 5]) await resumed.write(record(n))
    expect(resumed.outputs!()).toEqual([file('train-00000.json'), file('train-00001.json'), file('train-00002.json')])
    await resumed.close()
    expect(await idsOf('train-00000.json')).toEqual(['d/1', 'd/2'])
    expect(await idsOf('train-00001.json')).toEqual(['d/3', 'd/4'])
    expect(await idsOf('train-00002.json')).toEqual(['d/5'])
  })

  it('streams a rotated JSONL export, one entry per line', async () => {
    const sink = await definition.create(
      configFor(definition, { path: 'train.jsonl', rotateEvery: 2 }),
      createContext(),
    )
    for (const n of [1, 2, 3]) await sink.write(record(n))
    // Readable while the run goes on: every line written so far is a complete entry.
    await sink.flush!()
    const lines = (await readFile(file('train-00001.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['d/3'])
    await sink.close()
  })
})
