import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MediaTools, SinkCheckpoint, SinkContext } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import * as arrow from 'apache-arrow'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

// parquet-wasm (arrow-rs, the Rust Parquet implementation) reads back what hyparquet-writer wrote.
const parquetWasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-parquet-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const runDir = () => join(dir, 'run')

function context(extra: { resumeFrom?: SinkCheckpoint; media?: MediaTools } = {}): SinkContext {
  return { ...createIoContext(dir), ...extra }
}

async function readBack(path: string): Promise<Array<Record<string, unknown>>> {
  const table = arrow.tableFromIPC(parquetWasm.readParquet(new Uint8Array(await readFile(path))).intoIPCStream())
  return table.toArray().map((row) => row.toJSON() as Record<string, unknown>)
}

const record = (n: number) => ({
  id: `item-${n}`,
  caption: `caption ${n}`,
  score: n + 0.5,
  rank: n,
  keep: n % 2 === 0,
  tags: ['a', n],
})

async function writeAll(settings: Record<string, unknown>, records: Array<Record<string, unknown>>, extra = {}) {
  const sink = await definition.create(configFor(definition, settings), context(extra))
  for (const item of records) await sink.write(item)
  await sink.close()
}

describe('sink-parquet', () => {
  it('writes rows that an independent Parquet reader (arrow-rs) reads back, types kept', async () => {
    await writeAll({ path: 'captions.parquet' }, [
      record(0),
      record(1),
      { id: 'item-2', caption: null, score: 3, rank: 2, keep: true, tags: [] },
    ])
    expect(await readdir(runDir())).toEqual(['captions.parquet'])
    const rows = await readBack(join(runDir(), 'captions.parquet'))
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatchObject({ id: 'item-0', caption: 'caption 0', score: 0.5, keep: true, tags: '["a",0]' })
    expect(Number(rows[1]!['rank'])).toBe(1)
    expect(rows[2]).toMatchObject({ caption: null, score: 3 })
  })

  it('rotates every N rows into <stem>-00000.parquet, ... and leaves no spool behind', async () => {
    await writeAll({ path: 'out/captions.parquet', rotateEvery: 2, rowGroupSize: 1 }, [0, 1, 2, 3, 4].map(record))
    const files = (await readdir(join(runDir(), 'out'))).sort()
    expect(files).toEqual(['captions-00000.parquet', 'captions-00001.parquet', 'captions-00002.parquet'])
    const ids = []
    for (const file of files) ids.push(...(await readBack(join(runDir(), 'out', file))).map((row) => row['id']))
    expect(ids).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4'])
  })

  it('writes the original image bytes as an HF image column { bytes, path }', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9])
    const read: string[] = []
    const media = {
      readMedia: async (path: string) => {
        read.push(path)
        return bytes
      },
    } as unknown as MediaTools
    await writeAll(
      { path: 'images.parquet', imageBytes: true },
      [
        { id: 'a', media: 'tar:/s/00000.tar#offset=512&size=9&member=a.jpg', caption: 'x' },
        { id: 'b', caption: 'no image' },
      ],
      { media },
    )
    const rows = await readBack(join(runDir(), 'images.parquet'))
    expect(read).toEqual(['tar:/s/00000.tar#offset=512&size=9&member=a.jpg'])
    expect(rows[0]!['image']).toMatchObject({ path: 'a.jpg' })
    expect([...(rows[0]!['image'] as { bytes: Uint8Array }).bytes]).toEqual([...bytes])
    expect(rows[1]!['image']).toBeNull()
    expect(rows[0]).not.toHaveProperty('media')
  })

  it('resumes from a checkpoint exactly once: files written after it go, the spool is cut back', async () => {
    const config = { path: 'captions.parquet', rotateEvery: 2 }
    const first = await definition.create(configFor(definition, config), context())
    for (const n of [0, 1, 2]) await first.write(record(n))
    const checkpoint = await first.checkpoint!()
    expect(checkpoint).toMatchObject({ file: 1, rows: 1 })
    // Written after the checkpoint, then the process dies (no close): file 1 completes, file 2 starts.
    for (const n of [3, 4]) await first.write(record(n))
    expect((await readdir(runDir())).sort()).toContain('captions-00001.parquet')

    const resumed = await definition.create(configFor(definition, config), context({ resumeFrom: checkpoint }))
    expect((await readdir(runDir())).sort()).toEqual(['captions-00000.parquet', 'captions-00001.parquet.partial.jsonl'])
    for (const n of [3, 4]) await resumed.write(record(n))
    await resumed.close()
    const files = (await readdir(runDir())).sort()
    expect(files).toEqual(['captions-00000.parquet', 'captions-00001.parquet', 'captions-00002.parquet'])
    const ids = []
    for (const file of files) ids.push(...(await readBack(join(runDir(), file))).map((row) => row['id']))
    expect(ids).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4'])
  })

  it('removes the spools of finished files once a later checkpoint is taken', async () => {
    const sink = await definition.create(configFor(definition, { path: 'c.parquet', rotateEvery: 1 }), context())
    await sink.write(record(0))
    await sink.write(record(1))
    await sink.checkpoint!()
    expect((await readdir(runDir())).filter((name) => name.endsWith('.partial.jsonl')).sort()).toEqual([
      'c-00000.parquet.partial.jsonl',
      'c-00001.parquet.partial.jsonl',
      'c-00002.parquet.partial.jsonl',
    ])
    await sink.checkpoint!()
    expect((await readdir(runDir())).filter((name) => name.endsWith('.partial.jsonl'))).toEqual([
      'c-00002.parquet.partial.jsonl',
    ])
    await sink.close()
  })
})
