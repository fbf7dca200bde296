import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { isDataflowError, type Shard, type SourceContext, type SourceRecord } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-metafile-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(shard?: Shard): SourceContext {
  return createIoContext(dir, shard)
}

async function put(path: string, content: string | object) {
  await mkdir(dirname(join(dir, path)), { recursive: true })
  await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
}

async function readAll(config: Record<string, unknown>, shard?: Shard): Promise<SourceRecord[]> {
  const source = await definition.create(configFor(definition, config), createContext(shard))
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return records
}

/** The error `create` (or reading) fails with. */
async function failure(config: Record<string, unknown>, shard?: Shard): Promise<{ code: string; message: string }> {
  try {
    await readAll(config, shard)
  } catch (error) {
    if (isDataflowError(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected a failure')
}

const image = (id: number | string | undefined, path: string, extra: object = {}) => ({
  ...(id === undefined ? {} : { id }),
  image: path,
  ...extra,
})

describe('source-metafile: items', () => {
  beforeEach(async () => {
    // clips has an absolute root, as InternVL Metafiles often do.
    await put('data/meta.json', {
      coco: { root: 'coco/images', annotation: 'coco/ann.json', length: 3, task: 'Natural', repeat_time: 1 },
      clips: { root: join(dir, 'data/clips/videos'), annotation: 'clips/ann.jsonl', modality: 'video' },
      docs: { root: 'docs', annotation: 'docs/ann.json', sample_count: 2 },
    })
    await mkdir(join(dir, 'data/coco/images'), { recursive: true })
    await mkdir(join(dir, 'data/clips/videos'), { recursive: true })
    await put('data/coco/ann.json', [
      image(0, 'a/0.jpg', {
        conversations: [
          { from: 'human', value: '<image>\nWhat?' },
          { from: 'gpt', value: 'A cat.' },
        ],
        width: 640,
        height: 480,
      }),
      image('x1', 'a/1.jpg', { task: 'chart-math' }),
      image(undefined, 'b/2.jpg'),
    ])
    await put(
      'data/clips/ann.jsonl',
      `${JSON.stringify({ id: 'v1', video: 'v1.mp4' })}\n\n${JSON.stringify({ id: 'v2', video: 'v2.mp4', task: 'video' })}\n`,
    )
    await put('data/docs/ann.json', [image(1, 'p1.png'), image(2, 'p2.png'), image(3, 'p3.png')])
  })

  it('yields one item per record with the standard fields', async () => {
    const records = await readAll({ metafile: 'data/meta.json' })
    expect(records.map((r) => r.id)).toEqual([
      'coco/0',
      'coco/x1',
      'coco/2',
      'clips/v1',
      'clips/v2',
      'docs/1',
      'docs/2',
    ])
    expect(records.every((r) => r.error === undefined)).toBe(true)
    expect(records[0]!.data).toEqual({
      id: 'coco/0',
      dataset: 'coco',
      modality: 'image',
      image: 'a/0.jpg',
      media: join(dir, 'data/coco/images/a/0.jpg'),
      task: 'Natural',
      conversations: [
        { from: 'human', value: '<image>\nWhat?' },
        { from: 'gpt', value: 'A cat.' },
      ],
      width: 640,
      height: 480,
      sourceIndex: 0,
    })
    expect(records[1]!.data).toMatchObject({ task: 'chart-math', sourceIndex: 1 })
    expect(records[2]!.data).toMatchObject({ id: 'coco/2', sourceIndex: 2 })
    expect(records[3]!.data).toEqual({
      id: 'clips/v1',
      dataset: 'clips',
      modality: 'video',
      video: 'v1.mp4',
      media: join(dir, 'data/clips/videos/v1.mp4'),
      sourceIndex: 0,
    })
    expect(records[4]!.data).toMatchObject({ task: 'video' })
    // No task on the record or the dataset: no task field, the router decides.
    expect(records[5]!.data).not.toHaveProperty('task')
  })

  it('counts exactly (sample_count applied) and selects datasets', async () => {
    const source = await definition.create(configFor(definition, { metafile: 'data/meta.json' }), createContext())
    expect(await source.count?.()).toBe(7)
    const only = await readAll({ metafile: 'data/meta.json', datasets: ['docs', 'clips'] })
    expect(only.map((r) => r.id)).toEqual(['clips/v1', 'clips/v2', 'docs/1', 'docs/2'])
  })

  it('counts cheaply from the Metafile without scanning when validate is false', async () => {
    const source = await definition.create(
      configFor(definition, { metafile: 'data/meta.json', validate: false }),
      createContext(),
    )
    // coco: length 3; clips: no length, counted (2); docs: sample_count 2.
    expect(await source.count?.()).toBe(7)
    const records: SourceRecord[] = []
    for await (const record of source.read()) records.push(record)
    expect(records).toHaveLength(7)
  })

  it('fingerprints the inputs: it changes when an annotation file changes', async () => {
    const source = await definition.create(configFor(definition, { metafile: 'data/meta.json' }), createContext())
    const before = await source.fingerprint!()
    expect(before).toMatch(/^metafile:[0-9a-f]{16}$/)
    await put('data/docs/ann.json', [image(1, 'p1.png'), image(2, 'p2.png'), image(3, 'p3.png'), image(4, 'p4.png')])
    expect(await source.fingerprint!()).not.toBe(before)
  })
})

describe('source-metafile: media paths that leave the root', () => {
  it('makes each escaping path an error record and goes on', async () => {
    await put('meta.json', { set: { root: 'root', annotation: 'ann.json' } })
    await put('root/ok.jpg', 'x')
    await put('outside.jpg', 'x')
    await symlink(join(dir, 'outside.jpg'), join(dir, 'root/link.jpg'))
    await put('ann.json', [
      image(1, '../outside.jpg'),
      image(2, '/etc/passwd'),
      image(3, 'link.jpg'),
      image(4, 'ok.jpg'),
      image(5, join(dir, 'root/ok.jpg')),
    ])
    const records = await readAll({ metafile: 'meta.json' })
    expect(records.map((r) => [r.id, r.error?.code ?? 'ok'])).toEqual([
      ['set/1', 'DATAFLOW_INPUT_INVALID'],
      ['set/2', 'DATAFLOW_INPUT_INVALID'],
      ['set/3', 'DATAFLOW_INPUT_INVALID'],
      ['set/4', 'ok'],
      ['set/5', 'ok'],
    ])
    expect(records[0]!.error!.message).toBe(
      `set/1: media path "../outside.jpg" points outside the dataset root ${join(dir, 'root')}`,
    )
    expect(records[2]!.error!.message).toContain('goes through a symbolic link')
    expect(records[0]!.data).toMatchObject({ image: '../outside.jpg' })
    expect(records[0]!.data).not.toHaveProperty('media')
  })
})

describe('source-metafile: bad dataset files fail before the first item, with their position', () => {
  beforeEach(async () => {
    await mkdir(join(dir, 'root'), { recursive: true })
  })
  const metaPath = () => join(dir, 'meta.json')
  const annPath = () => join(dir, 'ann.json')

  it('invalid JSON in the Metafile', async () => {
    await put(
      'meta.json',
      '{\n  "a": {"root": "root", "annotation": "ann.json"},\n  "b": {"root": "root" "annotation": "x"}\n}',
    )
    expect(await failure({ metafile: 'meta.json' })).toEqual({
      code: 'DATAFLOW_INPUT_INVALID',
      message: `${metaPath()}:3:24: invalid JSON in the Metafile: expected ',' or '}' after the value of "root", found '"'`,
    })
  })

  it('a Metafile that is not an object, and a dataset declared twice', async () => {
    await put('meta.json', '[1]')
    expect((await failure({ metafile: 'meta.json' })).message).toBe(
      `${metaPath()}:1:1: a Metafile must be a JSON object of datasets`,
    )
    await put(
      'meta.json',
      '{"a": {"root": "root", "annotation": "ann.json"},\n "a": {"root": "root", "annotation": "ann.json"}}',
    )
    expect((await failure({ metafile: 'meta.json' })).message).toBe(`${metaPath()}:2:2: dataset "a" is declared twice`)
  })

  it('wrong types in the Metafile', async () => {
    await put('ann.json', '[]')
    const cases: [string, string][] = [
      [
        '{"a": {"root": 12, "annotation": "ann.json"}}',
        '1:16: dataset "a": "root" must be a non-empty string (a path), found 12',
      ],
      ['{"a": {"annotation": "ann.json"}}', '1:7: dataset "a" has no "root"'],
      ['{"a": "ann.json"}', '1:7: dataset "a" must be an object with "root" and "annotation", found "ann.json"'],
      [
        '{"a": {"root": "root", "annotation": "ann.json", "sample_count": -1}}',
        '1:66: dataset "a": "sample_count" must be a whole number >= 0, found -1',
      ],
      [
        '{"a": {"root": "root", "annotation": "ann.json", "length": "10"}}',
        '1:60: dataset "a": "length" must be a whole number >= 0, found "10"',
      ],
      [
        '{"a": {"root": "root", "annotation": "ann.json",\n  "modality": "audio"}}',
        '2:15: dataset "a": "modality" must be "image" or "video", found "audio"',
      ],
      [
        '{"a": {"root": "root", "annotation": "ann.json", "task": 3}}',
        '1:58: dataset "a": "task" must be a non-empty string (a domain such as "natural"), found 3',
      ],
    ]
    for (const [text, message] of cases) {
      await put('meta.json', text)
      expect(await failure({ metafile: 'meta.json' })).toEqual({
        code: 'DATAFLOW_INPUT_INVALID',
        message: `${metaPath()}:${message}`,
      })
    }
  })

  it('missing files: Metafile, annotation, root', async () => {
    expect(await failure({ metafile: 'nope.json' })).toEqual({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: `Metafile ${join(dir, 'nope.json')} does not exist`,
    })
    await put('meta.json', '{"a": {"root": "root",\n       "annotation": "missing.json"}}')
    expect(await failure({ metafile: 'meta.json' })).toEqual({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: `${metaPath()}:2:22: dataset "a": annotation file ${join(dir, 'missing.json')} does not exist`,
    })
    await put('ann.json', '[]')
    await put('meta.json', '{"a": {"root": "no-root", "annotation": "ann.json"}}')
    expect(await failure({ metafile: 'meta.json' })).toEqual({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: `${metaPath()}:1:16: dataset "a": root folder ${join(dir, 'no-root')} does not exist`,
    })
  })

  it('unknown datasets in the selection, and no metafile at all', async () => {
    await put('ann.json', '[]')
    await put('meta.json', { a: { root: 'root', annotation: 'ann.json' } })
    expect(await failure({ metafile: 'meta.json', datasets: ['a', 'zz'] })).toEqual({
      code: 'DATAFLOW_CONFIG_INVALID',
      message: `datasets: "zz" not in ${metaPath()}`,
    })
    expect((await failure({})).code).toBe('DATAFLOW_CONFIG_INVALID')
  })

  describe('annotation files', () => {
    beforeEach(async () => {
      await put('meta.json', { a: { root: 'root', annotation: 'ann.json' } })
    })
    const cases: [string, string, string][] = [
      [
        'invalid JSON inside a record',
        '[\n  {"id": 1, "image": "1.jpg"},\n  {"id": 2, "image": "2.jpg", "width": 12px}\n]',
        "3:42: invalid JSON: expected ',' or '}' after the value of \"width\", found 'p' (record 1)",
      ],
      [
        'a missing comma between records',
        '[{"id": 1, "image": "1.jpg"}\n {"id": 2, "image": "2.jpg"}]',
        "2:2: expected ',' or ']' after record 0, found '{'",
      ],
      [
        'an object instead of a list',
        '{"data": []}',
        '1:1: an annotation file must be a JSON list of records ([...]), found an object',
      ],
      ['a truncated file', '[{"id": 1, "image": "1.jpg"},\n {"id": 2, "ima', '2:16: the file ends inside record 1'],
      [
        'a record without image or video',
        '[{"id": 1, "image": "1.jpg"},\n {"id": 2, "conversations": []}]',
        '2:2: record 1 of dataset "a": the record has neither "image" nor "video"',
      ],
      [
        'a record with a wrong type',
        '[{"id": 1, "image": "1.jpg", "height": "tall"}]',
        '1:40: record 0 of dataset "a": "height" must be a number >= 0, found "tall"',
      ],
      [
        'a multi-image record',
        '[{"id": 1, "image": ["1.jpg", "2.jpg"]}]',
        '1:21: record 0 of dataset "a": "image" must be a non-empty string (a path relative to the dataset root), found ["1.jpg","2.jpg"] (records with several images are not supported)',
      ],
      [
        'a record that is not an object',
        '[{"id": 1, "image": "1.jpg"}, "2.jpg"]',
        '1:31: record 1 of dataset "a": a record must be a JSON object, found "2.jpg"',
      ],
      [
        'duplicate ids',
        '[{"id": 7, "image": "1.jpg"},\n {"id": 8, "image": "2.jpg"},\n {"id": 7, "image": "3.jpg"}]',
        '3:9: record 2 of dataset "a": duplicate id "7" (first on line 1)',
      ],
    ]
    for (const [name, text, message] of cases) {
      it(name, async () => {
        await put('ann.json', text)
        expect(await failure({ metafile: 'meta.json' })).toEqual({
          code: 'DATAFLOW_INPUT_INVALID',
          message: `${annPath()}:${message}`,
        })
      })
    }

    it('the error comes from create, before any item is read', async () => {
      await put('ann.json', '[{"id": 1, "image": "1.jpg"}, {"id": 1, "image": "2.jpg"}]')
      await expect(
        Promise.resolve(definition.create(configFor(definition, { metafile: 'meta.json' }), createContext())),
      ).rejects.toMatchObject({ code: 'DATAFLOW_INPUT_INVALID' })
    })

    it('with validate: false the same error comes when the reader reaches it', async () => {
      await put('ann.json', '[{"id": 1, "image": "1.jpg"},\n {"id": 1, "image": "2.jpg"}]')
      const source = await definition.create(
        configFor(definition, { metafile: 'meta.json', validate: false }),
        createContext(),
      )
      const iterator = source.read()[Symbol.asyncIterator]()
      expect((await iterator.next()).value).toMatchObject({ id: 'a/1' })
      await expect(iterator.next()).rejects.toThrow(`${annPath()}:2:9: record 1 of dataset "a": duplicate id "1"`)
    })

    it('JSONL annotations report the line', async () => {
      await put('meta.json', { a: { root: 'root', annotation: 'ann.jsonl' } })
      await put('ann.jsonl', '{"id": 1, "image": "1.jpg"}\n\n{"id": 2, "image": 5}\n')
      expect(await failure({ metafile: 'meta.json' })).toEqual({
        code: 'DATAFLOW_INPUT_INVALID',
        message: `${join(dir, 'ann.jsonl')}:3:20: record 1 of dataset "a": "image" must be a non-empty string (a path relative to the dataset root), found 5`,
      })
    })
  })
})

describe('source-metafile: large annotation files', () => {
  it('streams 50k records through the scan and the read', async () => {
    const total = 50_000
    const parts = ['[']
    for (let i = 0; i < total; i++) {
      parts.push(
        `${i === 0 ? '' : ','}\n${JSON.stringify({
          id: i,
          image: `img/${i}.jpg`,
          conversations: [
            { from: 'human', value: `<image>\nQ ${i} "quoted" ]} [{` },
            { from: 'gpt', value: 'A'.repeat(80) },
          ],
          width: 448,
          height: 448,
        })}`,
      )
    }
    parts.push('\n]\n')
    await put('big/ann.json', parts.join(''))
    await mkdir(join(dir, 'big/root'), { recursive: true })
    await put('big/meta.json', { big: { root: 'root', annotation: 'ann.json', length: total } })
    const source = await definition.create(configFor(definition, { metafile: 'big/meta.json' }), createContext())
    expect(await source.count?.()).toBe(total)
    let count = 0
    let last: SourceRecord | undefined
    for await (const record of source.read()) {
      count++
      last = record
    }
    expect(count).toBe(total)
    expect(last?.data).toMatchObject({ id: `big/${total - 1}`, sourceIndex: total - 1 })
    // A correctness check at scale, not a timing one: ~2.5 s alone, more on a loaded 2-core machine.
  }, 60_000)
})
