import { copyFile, mkdtemp, rm, truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toMediaLocation, type SourcePosition, type SourceRecord } from '@dataflow/sdk'
import { createIoContext } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import definition from './index.js'

const fixtures = fileURLToPath(new URL('../../../data/fixtures/shards/', import.meta.url))

async function readAll(
  shards: string | string[],
  options: { after?: SourcePosition; shard?: { index: number; count: number } } = {},
) {
  const source = await definition.create({ shards }, createIoContext(fixtures, options.shard))
  const records: SourceRecord[] = []
  for await (const record of source.read(options.after)) records.push(record)
  return { source, records }
}

const ids = (records: SourceRecord[]) => records.map((record) => record.id)
const errorOf = (records: SourceRecord[], id: string) => records.find((record) => record.id === id)?.error?.message

describe('source-webdataset', () => {
  it('reads a brace range of shards in order, one item per key, fields from the .json and .txt members', async () => {
    const { source, records } = await readAll('good/{00000..00001}.tar')
    expect(ids(records)).toEqual(['00000', '00001', '00002', '00003', '00004', '00005'])
    expect(records.every((record) => !record.error)).toBe(true)
    const first = records[0]!
    expect(first.data).toMatchObject({
      key: '00000',
      shard: join(fixtures, 'good/00000.tar'),
      modality: 'image',
      txt: 'tiny picture 0',
      json: { key: '00000', caption: 'tiny picture 0', status: 'success', width: 32, height: 24 },
    })
    expect(toMediaLocation(first.data!['media'] as string)).toMatchObject({
      kind: 'tar-member',
      path: join(fixtures, 'good/00000.tar'),
      member: '00000.jpg',
      offset: 512,
    })
    expect(await source.count?.()).toBe(6)
    expect(await source.fingerprint?.()).toMatch(/^webdataset:2 shards:[0-9a-f]{16}$/)
  })

  it('expands globs sorted by name and takes every n-th shard under --shard', async () => {
    expect(ids((await readAll('good/*.tar')).records)).toHaveLength(6)
    const second = await readAll('good/*.tar', { shard: { index: 1, count: 2 } })
    expect(ids(second.records)).toEqual(['00003', '00004', '00005'])
    expect(await second.source.count?.()).toBe(3)
  })

  it('fails at create, naming them, when listed shards do not exist', async () => {
    await expect(
      definition.create({ shards: 'good/{00000..00003}.tar' }, createIoContext(fixtures)),
    ).rejects.toMatchObject({
      code: 'DATAFLOW_INPUT_NOT_FOUND',
      message: expect.stringContaining('good/00002.tar, good/00003.tar'),
    })
  })

  it('gives broken samples one error record each, naming the shard and the member, and goes on', async () => {
    const { records } = await readAll('bad/corrupt-member.tar')
    const shard = join(fixtures, 'bad/corrupt-member.tar')
    expect(ids(records)).toEqual(['a-good', 'b-badjson', 'c-notimage', 'd-noimage', 'e-good'])
    expect(errorOf(records, 'b-badjson')).toMatch(new RegExp(`^${shard}: member b-badjson.json: not valid JSON`))
    expect(errorOf(records, 'd-noimage')).toBe(
      `${shard}: sample "d-noimage" has no image member (it has d-noimage.json, d-noimage.txt)`,
    )
    // The source cannot tell text from a JPEG without decoding: the media node reports it, with the locator.
    expect(records.find((record) => record.id === 'c-notimage')!.data!['media']).toMatch(/member=c-notimage\.jpg$/)
    expect(records.filter((record) => record.error).map((record) => record.error!.code)).toEqual([
      'DATAFLOW_INPUT_INVALID',
      'DATAFLOW_INPUT_INVALID',
    ])
  })

  it('goes on after a corrupt header at the next valid one; the sample it broke is an error', async () => {
    const { records } = await readAll('bad/corrupt-header.tar')
    expect(ids(records)).toEqual(['k0', 'k1', 'k2', 'k3'])
    expect(errorOf(records, 'k1')).toMatch(
      /corrupt tar header after member k1\.jpg \(at byte \d+; 1024 bytes skipped to the next valid header\)/,
    )
    expect(records.filter((record) => record.error)).toHaveLength(1)
  })

  it('reports a truncated shard on the sample cut short and goes on with the next shard', async () => {
    const { records } = await readAll(['bad/truncated.tar', 'good/00001.tar'])
    expect(ids(records)).toEqual(['t0', 't1', 't2', '00003', '00004', '00005'])
    expect(errorOf(records, 't2')).toBe(
      `${join(fixtures, 'bad/truncated.tar')}: the shard is truncated inside member t2.jpg`,
    )
    expect(records.filter((record) => record.error)).toHaveLength(1)
  })

  it('reports a shard cut inside a header on the sample being read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wds-'))
    try {
      await copyFile(join(fixtures, 'good/00000.tar'), join(dir, 'cut.tar'))
      // 00000.jpg, .json, .txt, then 00001.jpg's header: cut 100 bytes into that header.
      const { records: whole } = await readAll(join(fixtures, 'good/00000.tar'))
      const cutAt = (whole[0]!.position!['offset'] as number) + 100
      await truncate(join(dir, 'cut.tar'), cutAt)
      const { records } = await readAll(join(dir, 'cut.tar'))
      expect(ids(records)).toEqual(['00000'])
      expect(records[0]!.error?.message).toMatch(/the shard is truncated after member 00000\.txt/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('continues after any record from its position: mid-shard, at a shard boundary, at the end', async () => {
    const { records } = await readAll('good/*.tar')
    for (let index = 0; index < records.length; index++) {
      const rest = await readAll('good/*.tar', { after: records[index]!.position! })
      expect(ids(rest.records)).toEqual(ids(records.slice(index + 1)))
      expect(rest.records).toEqual(records.slice(index + 1))
    }
    expect(records[2]!.position).toEqual({ shard: 0, offset: 11776 - 1024 })
  })

  it('refuses a position that does not fit the shards', async () => {
    const source = await definition.create({ shards: 'good/*.tar' }, createIoContext(fixtures))
    const iterator = source.read({ shard: 7, offset: 3 })[Symbol.asyncIterator]()
    await expect(iterator.next()).rejects.toMatchObject({ code: 'DATAFLOW_RESUME_MISMATCH' })
  })
})
