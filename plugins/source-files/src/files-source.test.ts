import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { isDataflowError, type SourceContext, type SourceRecord } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-files-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): SourceContext {
  return createIoContext(dir)
}

async function touch(path: string, content = 'x') {
  await mkdir(dirname(join(dir, path)), { recursive: true })
  await writeFile(join(dir, path), content)
}

async function readAll(config: Record<string, unknown>): Promise<SourceRecord[]> {
  const source = await definition.create(configFor(definition, config), createContext())
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return records
}

const ids = (records: SourceRecord[]) => records.map((record) => record.id)

describe('source-files', () => {
  beforeEach(async () => {
    for (const path of [
      'media/b.png',
      'media/a.jpg',
      'media/C.JPG',
      'media/notes.txt',
      'media/.hidden.jpg',
      'media/.cache/x.jpg',
      'media/sub/deep/e.mp4',
      'media/sub/d.webp',
      'media/café 1.jpg',
      'media/日本/写真 2.png',
      'media/emoji 😀.gif',
      'media/raw/skip.jpg',
    ]) {
      await touch(path, path)
    }
  })

  it('yields images and videos at any depth in sorted order with the item fields', async () => {
    const records = await readAll({ dir: 'media' })
    expect(ids(records)).toEqual([
      'C.JPG',
      'a.jpg',
      'b.png',
      'café 1.jpg',
      'emoji 😀.gif',
      'raw/skip.jpg',
      'sub/d.webp',
      'sub/deep/e.mp4',
      '日本/写真 2.png',
    ])
    expect(records.find((r) => r.id === '日本/写真 2.png')).toEqual({
      id: '日本/写真 2.png',
      data: {
        id: '日本/写真 2.png',
        media: join(dir, 'media', '日本', '写真 2.png'),
        relativePath: '日本/写真 2.png',
        name: '写真 2.png',
        size: Buffer.byteLength('media/日本/写真 2.png'),
        modality: 'image',
        dataset: 'media',
      },
    })
    expect(records.find((r) => r.id === 'sub/deep/e.mp4')?.data).toMatchObject({ modality: 'video', name: 'e.mp4' })
  })

  it('applies include, exclude (pruning folders), dataset and case settings', async () => {
    expect(ids(await readAll({ dir: 'media', include: '*.jpg', ignoreCase: false }))).toEqual(['a.jpg', 'café 1.jpg'])
    expect(ids(await readAll({ dir: 'media', exclude: ['raw', 'sub/**', '**/*.png'] }))).toEqual([
      'C.JPG',
      'a.jpg',
      'café 1.jpg',
      'emoji 😀.gif',
    ])
    const records = await readAll({ dir: 'media', include: ['**/*.jpg', '**/*.mp4'], dataset: 'mine', dot: true })
    expect(ids(records)).toEqual([
      '.cache/x.jpg',
      '.hidden.jpg',
      'C.JPG',
      'a.jpg',
      'café 1.jpg',
      'raw/skip.jpg',
      'sub/deep/e.mp4',
    ])
    expect(records.every((r) => r.data?.['dataset'] === 'mine')).toBe(true)
  })

  it('makes a file with an unknown extension an error record', async () => {
    const records = await readAll({ dir: 'media', include: '*.txt' })
    expect(records).toHaveLength(1)
    expect(records[0]!.id).toBe('notes.txt')
    expect(records[0]!.error?.code).toBe('DATAFLOW_INPUT_INVALID')
  })

  it('lists symlinked files, enters symlinked folders only with followSymlinks, and survives cycles and dangling links', async () => {
    await touch('outside/g.jpg')
    await symlink(join(dir, 'outside'), join(dir, 'media/linked'))
    await symlink(join(dir, 'media/a.jpg'), join(dir, 'media/alias.jpg'))
    await symlink(join(dir, 'media/missing.jpg'), join(dir, 'media/dangling.jpg'))
    await symlink(join(dir, 'media'), join(dir, 'media/sub/loop'))
    const plain = ids(await readAll({ dir: 'media', include: '**/*.jpg' }))
    expect(plain).toEqual(['C.JPG', 'a.jpg', 'alias.jpg', 'café 1.jpg', 'raw/skip.jpg'])
    const followed = ids(await readAll({ dir: 'media', include: '**/*.jpg', followSymlinks: true }))
    expect(followed).toEqual(['C.JPG', 'a.jpg', 'alias.jpg', 'café 1.jpg', 'linked/g.jpg', 'raw/skip.jpg'])
  })

  it('counts what read yields, and the fingerprint changes with the files', async () => {
    const source = await definition.create(configFor(definition, { dir: 'media' }), createContext())
    expect(await source.count?.()).toBe(9)
    const before = await source.fingerprint!()
    await touch('media/sub/new.png')
    expect(await source.fingerprint!()).not.toBe(before)
  })

  it('fails with DATAFLOW_INPUT_NOT_FOUND for a missing folder or a file', async () => {
    for (const path of ['nope', 'media/a.jpg']) {
      const error = await Promise.resolve(
        definition.create(configFor(definition, { dir: path }), createContext()),
      ).catch((e: unknown) => e)
      expect(isDataflowError(error) && error.code).toBe('DATAFLOW_INPUT_NOT_FOUND')
      expect((error as Error).message).toContain(join(dir, path))
    }
  })

  it('fails with DATAFLOW_CONFIG_INVALID for an invalid glob', async () => {
    const error = await Promise.resolve(
      definition.create(configFor(definition, { dir: 'media', include: '[z-a].jpg' }), createContext()),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
  })

  it('walks lazily: the first item arrives without listing folders it does not need yet', async () => {
    for (let i = 0; i < 50; i++) await touch(`many/z${String(i).padStart(2, '0')}/f.jpg`)
    await touch('many/a.jpg')
    const source = await definition.create(configFor(definition, { dir: 'many' }), createContext())
    const iterator = source.read()[Symbol.asyncIterator]()
    const first = await iterator.next()
    expect(first.value?.id).toBe('a.jpg')
    // Folders removed after the first pull are simply not found: they were never listed.
    await rm(join(dir, 'many/z49'), { recursive: true })
    const rest: string[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value.id)
    expect(rest).toHaveLength(49)
  })
})
