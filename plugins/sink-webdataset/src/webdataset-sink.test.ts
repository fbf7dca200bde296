import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toMediaLocator, type SinkCheckpoint, type SinkContext } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { createMediaTools } from '@dataflow/media'
import * as arrow from 'apache-arrow'
import tarStream from 'tar-stream'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

const parquetWasm = createRequire(import.meta.url)('parquet-wasm/node') as typeof import('parquet-wasm/node')
const fixtures = fileURLToPath(new URL('../../../data/fixtures/shards/', import.meta.url))
const media = createMediaTools()
afterAll(() => media.close())

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-webdataset-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))
const context = (resumeFrom?: SinkCheckpoint): SinkContext => ({
  ...createIoContext(dir),
  media,
  ...(resumeFrom ? { resumeFrom } : {}),
})

/** The first member's data of a plain ustar file, located by hand (no tar library). */
async function member(tar: string, headerAt: number) {
  const bytes = await readFile(tar)
  const size = parseInt(
    bytes
      .subarray(headerAt + 124, headerAt + 136)
      .toString('latin1')
      .replace(/\0.*$/, '')
      .trim(),
    8,
  )
  return { offset: headerAt + 512, size, data: bytes.subarray(headerAt + 512, headerAt + 512 + size) }
}

async function records() {
  const tar = join(fixtures, 'good/00000.tar')
  const first = await member(tar, 0)
  return [0, 1, 2, 3, 4].map((n) => ({
    key: `k${n}`,
    media: toMediaLocator({
      kind: 'tar-member',
      path: tar,
      member: '00000.jpg',
      offset: first.offset,
      size: first.size,
    }),
    caption: `caption ${n}`,
    scores: { accuracy: 9, detail: n },
  }))
}

async function readTar(path: string) {
  const extract = tarStream.extract()
  createReadStream(path).pipe(extract)
  const members: Record<string, Buffer> = {}
  for await (const entry of extract) {
    const chunks: Buffer[] = []
    for await (const chunk of entry) chunks.push(chunk)
    members[entry.header.name] = Buffer.concat(chunks)
  }
  return members
}

const readParquet = async (path: string) =>
  arrow
    .tableFromIPC(parquetWasm.readParquet(new Uint8Array(await readFile(path))).intoIPCStream())
    .toArray()
    .map((row) => row.toJSON() as Record<string, unknown>)

describe('sink-webdataset', () => {
  it('writes {key}.jpg as received, {key}.json and {key}.txt, rotated, with a Parquet sidecar per shard', async () => {
    const sink = await definition.create(configFor(definition, { path: 'out/shard.tar', rotateEvery: 2 }), context())
    for (const record of await records()) await sink.write(record)
    await sink.close()
    expect((await readdir(join(dir, 'run/out'))).sort()).toEqual([
      'shard-00000.parquet',
      'shard-00000.tar',
      'shard-00001.parquet',
      'shard-00001.tar',
      'shard-00002.parquet',
      'shard-00002.tar',
    ])
    const original = (await member(join(fixtures, 'good/00000.tar'), 0)).data
    const first = await readTar(join(dir, 'run/out/shard-00000.tar'))
    expect(Object.keys(first)).toEqual(['k0.jpg', 'k0.json', 'k0.txt', 'k1.jpg', 'k1.json', 'k1.txt'])
    expect(first['k0.jpg']!.equals(original)).toBe(true)
    expect(JSON.parse(first['k1.json']!.toString())).toEqual({
      key: 'k1',
      caption: 'caption 1',
      scores: { accuracy: 9, detail: 1 },
    })
    expect(first['k1.txt']!.toString()).toBe('caption 1')
    const sidecar = await readParquet(join(dir, 'run/out/shard-00002.parquet'))
    expect(sidecar).toEqual([{ key: 'k4', caption: 'caption 4', scores: '{"accuracy":9,"detail":4}' }])
  })

  it('resumes exactly once: the open shard is cut back, shards begun after the checkpoint go', async () => {
    const all = await records()
    const config = { path: 'shard.tar', rotateEvery: 2 }
    const first = await definition.create(configFor(definition, config), context())
    for (const record of all.slice(0, 3)) await first.write(record)
    const checkpoint = await first.checkpoint!()
    expect(checkpoint).toMatchObject({ shard: 1, samples: 1 })
    for (const record of all.slice(3)) await first.write(record) // then the process dies
    const resumed = await definition.create(configFor(definition, config), context(checkpoint))
    expect((await readdir(join(dir, 'run'))).sort()).toEqual([
      'shard-00000.parquet',
      'shard-00000.tar',
      'shard-00001.tar',
    ])
    for (const record of all.slice(3)) await resumed.write(record)
    await resumed.close()
    const keys: string[] = []
    for (const shard of ['shard-00000.tar', 'shard-00001.tar', 'shard-00002.tar'])
      keys.push(...Object.keys(await readTar(join(dir, 'run', shard))).filter((name) => name.endsWith('.json')))
    expect(keys).toEqual(['k0.json', 'k1.json', 'k2.json', 'k3.json', 'k4.json'])
    expect((await readParquet(join(dir, 'run/shard-00001.parquet'))).map((row) => row['key'])).toEqual(['k2', 'k3'])
  })

  it('refuses a record without image or key with DATAFLOW_OUTPUT_INVALID', async () => {
    const sink = await definition.create(configFor(definition, { path: 'one.tar' }), context())
    await expect(sink.write({ key: 'a', caption: 'x' })).rejects.toMatchObject({ code: 'DATAFLOW_OUTPUT_INVALID' })
    await expect(sink.write({ caption: 'x', media: '/x.jpg' })).rejects.toMatchObject({
      code: 'DATAFLOW_OUTPUT_INVALID',
    })
    await sink.close()
  })
})
