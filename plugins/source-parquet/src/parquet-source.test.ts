import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toMediaLocation, type SourcePosition, type SourceRecord } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { createMediaTools } from '@dataflow/media'
import * as arrow from 'apache-arrow'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import definition from './index.js'

// parquet-wasm (the Rust arrow-rs Parquet implementation): an independent writer for the cross-read.
const parquetWasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node')

const fixtures = fileURLToPath(new URL('../../../data/fixtures/shards/', import.meta.url))
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-parquet-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function readAll(
  settings: Record<string, unknown>,
  options: { after?: SourcePosition; base?: string; shard?: { index: number; count: number } } = {},
) {
  const source = await definition.create(
    configFor(definition, settings),
    createIoContext(options.base ?? fixtures, options.shard),
  )
  const records: SourceRecord[] = []
  for await (const record of source.read(options.after)) records.push(record)
  return { source, records }
}

/** Writes a Parquet file with parquet-wasm from an Arrow table. */
async function writeWithParquetWasm(path: string, table: arrow.Table, compression = parquetWasm.Compression.SNAPPY) {
  const wasmTable = parquetWasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))
  const properties = new parquetWasm.WriterPropertiesBuilder().setMaxRowGroupSize(2).setCompression(compression).build()
  await writeFile(path, parquetWasm.writeParquet(wasmTable, properties))
}

describe('source-parquet', () => {
  it('reads the files of a glob in order, one item per row, the image as a cell locator', async () => {
    const { source, records } = await readAll({ files: 'hf/data/*.parquet' })
    expect(records.map((record) => record.id)).toEqual([
      'train-00000-of-00002/0',
      'train-00000-of-00002/1',
      'train-00000-of-00002/2',
      'train-00001-of-00002/0',
      'train-00001-of-00002/1',
      'train-00001-of-00002/2',
    ])
    expect(records[2]!.data).toMatchObject({ id: 'r2', text: 'tiny picture 2', modality: 'image' })
    expect(records[2]!.data).not.toHaveProperty('image')
    expect(toMediaLocation(records[2]!.data!['media'] as string)).toEqual({
      kind: 'parquet-cell',
      path: join(fixtures, 'hf/data/train-00000-of-00002.parquet'),
      column: 'image.bytes',
      rowGroup: 1,
      row: 0,
    })
    expect(await source.count?.()).toBe(6)
    expect(await source.fingerprint?.()).toMatch(/^parquet:2 files:[0-9a-f]{16}$/)
  })

  it('takes ids from idColumn and every n-th file under --shard', async () => {
    const { records } = await readAll({ files: 'hf/data/*.parquet', idColumn: 'id' }, { shard: { index: 1, count: 2 } })
    expect(records.map((record) => record.id)).toEqual(['r3', 'r4', 'r5'])
  })

  it('continues after any record from its position, across row groups and files', async () => {
    const { records } = await readAll({ files: 'hf/data/*.parquet' })
    for (let index = 0; index < records.length; index++) {
      const rest = await readAll({ files: 'hf/data/*.parquet' }, { after: records[index]!.position! })
      expect(rest.records).toEqual(records.slice(index + 1))
    }
  })

  it('reads a file written by parquet-wasm (arrow-rs): HF struct column, the media tools read the cells', async () => {
    const jpeg = Buffer.from(
      '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==',
      'base64',
    )
    const bytes = arrow.vectorFromArray(
      [jpeg, jpeg, null].map((b) => (b ? new Uint8Array(b) : null)),
      new arrow.Binary(),
    )
    const paths = arrow.vectorFromArray(['a.jpg', 'b.jpg', 'c.jpg'], new arrow.Utf8())
    const image = arrow.makeVector(
      arrow.makeData({
        type: new arrow.Struct([
          new arrow.Field('bytes', new arrow.Binary(), true),
          new arrow.Field('path', new arrow.Utf8(), true),
        ]),
        length: 3,
        nullCount: 0,
        children: [bytes.data[0]!, paths.data[0]!],
      }),
    )
    const table = new arrow.Table({
      image,
      caption: arrow.vectorFromArray(['one', 'two', 'three'], new arrow.Utf8()),
      n: arrow.vectorFromArray([1n, 2n, 3n], new arrow.Int64()),
    })
    await writeWithParquetWasm(join(dir, 'wasm.parquet'), table)
    const { records } = await readAll({ files: 'wasm.parquet' }, { base: dir })
    expect(records.map((record) => record.data)).toMatchObject([
      { caption: 'one', n: 1, modality: 'image' },
      { caption: 'two', n: 2 },
      { caption: 'three', n: 3 },
    ])
    expect(toMediaLocation(records[2]!.data!['media'] as string)).toMatchObject({ rowGroup: 1, row: 0 })
    const media = createMediaTools()
    try {
      expect(await media.probeImage(records[1]!.data!['media'] as string)).toMatchObject({
        width: 1,
        height: 1,
        format: 'jpeg',
      })
      await expect(media.prepareImage(records[2]!.data!['media'] as string)).rejects.toMatchObject({
        code: 'DATAFLOW_MEDIA_INVALID',
        message: expect.stringContaining('the cell is empty'),
      })
    } finally {
      await media.close()
    }
  })

  it('reads zstd-compressed files (the Polars default)', async () => {
    const table = new arrow.Table({
      caption: arrow.vectorFromArray(['a', 'b', 'c'], new arrow.Utf8()),
      image: arrow.vectorFromArray(
        [new Uint8Array([1, 2]), new Uint8Array([3]), new Uint8Array([4, 5, 6])],
        new arrow.Binary(),
      ),
    })
    await writeWithParquetWasm(join(dir, 'zstd.parquet'), table, parquetWasm.Compression.ZSTD)
    const { records } = await readAll({ files: 'zstd.parquet' }, { base: dir })
    expect(records.map((record) => record.data?.['caption'])).toEqual(['a', 'b', 'c'])
    const media = createMediaTools()
    try {
      expect([...(await media.readMedia(records[2]!.data!['media'] as string))]).toEqual([4, 5, 6])
    } finally {
      await media.close()
    }
  })

  it('reads a column of image paths relative to root', async () => {
    const table = new arrow.Table({ file_name: arrow.vectorFromArray(['cats/1.jpg', 'dogs/2.png'], new arrow.Utf8()) })
    await writeWithParquetWasm(join(dir, 'paths.parquet'), table)
    const { records } = await readAll({ files: 'paths.parquet', imagePath: 'file_name', root: 'images' }, { base: dir })
    expect(records.map((record) => record.data!['media'])).toEqual([
      join(dir, 'images/cats/1.jpg'),
      join(dir, 'images/dogs/2.png'),
    ])
  })

  it('gives one error record per unreadable file or missing column, naming the file, and goes on', async () => {
    await writeFile(join(dir, 'broken.parquet'), 'PAR1 this is not parquet at all PAR1')
    const { records } = await readAll({ files: ['broken.parquet', 'paths.parquet'] }, { base: dir })
    expect(records.map((record) => record.id)).toEqual(['broken.parquet', 'paths.parquet'])
    expect(records[0]!.error?.message).toMatch(
      new RegExp(`^${join(dir, 'broken.parquet')}: not a readable Parquet file`),
    )
    expect(records[1]!.error?.message).toBe(
      `${join(dir, 'paths.parquet')}: has no image column "image"; its columns: file_name (set \`image\`, or \`imagePath\` for a column of file paths)`,
    )
  })
})
