import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { toMediaLocator } from '@dataflow/sdk'
import { createMediaTools } from './create-media-tools.js'

const shards = fileURLToPath(new URL('../../../data/fixtures/shards/', import.meta.url))
const tarPath = join(shards, 'good/00000.tar')
const parquetPath = (file: number) => join(shards, `hf/data/train-0000${file}-of-00002.parquet`)

/** The first member of a plain ustar file: data at 512, size from the octal header field (read without a tar library). */
async function firstMember(path: string) {
  const tar = await readFile(path)
  const size = parseInt(tar.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim(), 8)
  return { bytes: tar.subarray(512, 512 + size), size }
}

describe('media inside containers', () => {
  const media = createMediaTools()
  afterAll(() => media.close())

  it('prepares a tar member from its locator with a positioned read, bytes as in the shard', async () => {
    const { bytes, size } = await firstMember(tarPath)
    const locator = toMediaLocator({ kind: 'tar-member', path: tarPath, member: '00000.jpg', offset: 512, size })
    expect(await media.probeImage(locator)).toMatchObject({ width: 32, height: 24, format: 'jpeg' })
    const ref = await media.prepareImage(locator, { minPixels: 784 })
    expect(ref).toMatchObject({ kind: 'image', source: locator })
    // The same bytes as a file give the same image.
    expect(bytes[0]).toBe(0xff)
    expect((await media.readImage(ref)).byteLength).toBeGreaterThan(100)
    expect(media.stats().decodes).toBe(1)
  })

  it('names the shard and member when the member lies past the end of a truncated shard', async () => {
    const locator = toMediaLocator({
      kind: 'tar-member',
      path: tarPath,
      member: 'ghost.jpg',
      offset: 11264,
      size: 4096,
    })
    await expect(media.prepareImage(locator)).rejects.toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      message: expect.stringMatching(
        /^cannot use image "tar:.*00000\.tar#offset=11264&size=4096&member=ghost\.jpg": the shard is 11776 bytes.*truncated tar$/,
      ),
    })
  })

  it('reports a missing shard as DATAFLOW_INPUT_NOT_FOUND', async () => {
    const locator = toMediaLocator({
      kind: 'tar-member',
      path: join(shards, 'nope.tar'),
      member: 'a.jpg',
      offset: 512,
      size: 10,
    })
    await expect(media.prepareImage(locator)).rejects.toMatchObject({ code: 'DATAFLOW_INPUT_NOT_FOUND' })
  })

  it('reads image bytes out of Parquet cells (HF {bytes, path} struct)', async () => {
    const cell = (file: number, rowGroup: number, row: number) =>
      toMediaLocator({ kind: 'parquet-cell', path: parquetPath(file), column: 'image.bytes', rowGroup, row })
    const { bytes } = await firstMember(tarPath)
    const tools = createMediaTools()
    try {
      // Row r0 holds the same JPEG as the tar's first member.
      const first = await tools.prepareImage(cell(0, 0, 0), { minPixels: 784 })
      const fromTar = await tools.prepareImage(
        toMediaLocator({ kind: 'tar-member', path: tarPath, member: '00000.jpg', offset: 512, size: bytes.length }),
        { minPixels: 784 },
      )
      expect(first.hash).toBe(fromTar.hash)
      await tools.prepareImage(cell(0, 0, 1), { minPixels: 784 })
      await tools.prepareImage(cell(0, 1, 0), { minPixels: 784 })
      expect(await tools.probeImage(cell(1, 1, 0))).toMatchObject({ width: 32, height: 24 })
    } finally {
      await tools.close()
    }
  })

  it('gives clear errors for an empty cell and a row past the row group', async () => {
    const empty = toMediaLocator({
      kind: 'parquet-cell',
      path: parquetPath(1),
      column: 'image.bytes',
      rowGroup: 0,
      row: 1,
    })
    await expect(media.prepareImage(empty)).rejects.toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      message: expect.stringContaining('the cell is empty (no bytes in column "image.bytes")'),
    })
    const beyond = toMediaLocator({
      kind: 'parquet-cell',
      path: parquetPath(1),
      column: 'image.bytes',
      rowGroup: 1,
      row: 5,
    })
    await expect(media.prepareImage(beyond)).rejects.toMatchObject({
      message: expect.stringContaining('row group 1 has 1 rows, not 6'),
    })
  })

  it('refuses videos inside containers with a clear message', async () => {
    const locator = toMediaLocator({ kind: 'tar-member', path: tarPath, member: 'clip.mp4', offset: 512, size: 10 })
    await expect(media.prepareVideo(locator)).rejects.toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      message: expect.stringContaining('videos inside tar shards or Parquet cells are not supported'),
    })
  })
})

describe('readMedia', () => {
  it('returns the bytes as stored, from a file, a tar member or a Parquet cell', async () => {
    const media = createMediaTools()
    try {
      const { bytes, size } = await firstMember(tarPath)
      const member = toMediaLocator({ kind: 'tar-member', path: tarPath, member: '00000.jpg', offset: 512, size })
      expect(Buffer.from(await media.readMedia(member)).equals(bytes)).toBe(true)
      const cell = toMediaLocator({
        kind: 'parquet-cell',
        path: parquetPath(0),
        column: 'image.bytes',
        rowGroup: 0,
        row: 0,
      })
      expect(Buffer.from(await media.readMedia(cell)).equals(bytes)).toBe(true)
      expect((await media.readMedia(join(shards, 'good/00000_stats.json'))).byteLength).toBeGreaterThan(10)
      await expect(media.readMedia(join(shards, 'missing.jpg'))).rejects.toMatchObject({
        code: 'DATAFLOW_INPUT_NOT_FOUND',
      })
    } finally {
      await media.close()
    }
  })
})
