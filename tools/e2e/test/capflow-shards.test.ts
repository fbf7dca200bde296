// CapFlow pointed at img2dataset tar shards and at Hugging Face Parquet files with one --set each,
// writing WebDataset and Parquet outputs, against the inference simulators.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { readShard } from '@dataflow/plugin-source-webdataset'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { REPO, readJsonl, startCapflowServers, tempDir } from './support.js'
// @ts-expect-error: a plain .mjs module of the repository's generators
import { sampleImages, writeSampleParquet, writeSampleShards } from '../../generators/shard-data.mjs' // eslint-disable-line dataflow/module-boundaries -- repository scripts, not a published API

const CAPFLOW = join(REPO, 'pipelines/capflow.yaml')
const TRUNCATED = join(REPO, 'data/fixtures/shards/bad/truncated.tar')

interface Outcomes {
  kept: Array<{ id: string; caption: string }>
  rejected: Array<{ id: string }>
  errors: Array<{ id: string; node: string; error: { code: string; message: string } }>
}

async function outcomes(out: string): Promise<Outcomes> {
  return {
    kept: await readJsonl(join(out, 'captions.jsonl')),
    rejected: await readJsonl(join(out, 'rejected.jsonl')),
    errors: await readJsonl(join(out, 'errors.jsonl')),
  }
}
const allIds = (result: Outcomes) =>
  [...result.kept, ...result.rejected, ...result.errors].map((record) => record.id).sort()

describe('CapFlow on WebDataset shards and HF Parquet files', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  let images: Array<{ jpeg: Buffer }>

  beforeAll(async () => {
    dir = await tempDir()
    servers = await startCapflowServers()
    images = await sampleImages()
    await writeSampleShards(join(dir.path, 'webdataset'), { images, perShard: 10 })
    await writeSampleParquet(join(dir.path, 'hf'), { images, files: 2, rowGroupRows: 5 })
  })
  afterAll(async () => {
    await servers.close()
    if (!process.env['KEEP']) await dir.remove()
    else console.log('kept', dir.path)
  })

  it('captions tar shards given by a brace range; a truncated shard costs one error record; kept items go to WebDataset shards as received', async () => {
    const out = join(dir.path, 'run-wds')
    const shards = `{${join(dir.path, 'webdataset/{00000..00002}.tar')},${TRUNCATED}}`
    const result = await runCli(
      [
        'run',
        CAPFLOW,
        '--out',
        out,
        '--quiet',
        '--max-error-rate',
        '0.5',
        '--set',
        `source={uses: "@dataflow/plugin-source-webdataset", with: {shards: "${shards}"}}`,
        '--set',
        'sinks.training={uses: "@dataflow/plugin-sink-webdataset", with: {path: shards/kept.tar, rotateEvery: 4}, select: {key: id, media: item.media, caption: summary.caption, judge: judge}}',
      ],
      servers.env,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const result2 = await outcomes(out)
    const inputKeys = [
      ...Array.from(
        { length: 26 },
        (_, index) => `${String(Math.floor(index / 10)).padStart(5, '0')}${String(index % 10).padStart(4, '0')}`,
      ),
      't0',
      't1',
      't2',
    ]
    expect(allIds(result2)).toEqual(inputKeys.sort())
    expect(result2.errors.map((record) => record.id).sort()).toEqual(['t2'])
    expect(result2.errors[0]!.error.message).toContain('truncated.tar: the shard is truncated inside member t2.jpg')
    expect(result2.kept.length).toBeGreaterThan(0)
    for (const record of result2.kept) expect(record.caption).toMatch(/^\[simulated\]/)

    // The kept items, in rotated shards, their images byte for byte as in the input shards.
    const files = (await readdir(join(out, 'shards'))).sort()
    expect(files.filter((name) => name.endsWith('.tar'))).toHaveLength(Math.ceil(result2.kept.length / 4))
    expect(files.filter((name) => name.endsWith('.parquet'))).toHaveLength(Math.ceil(result2.kept.length / 4))
    const written = new Map<string, Buffer>()
    for (const name of files.filter((file) => file.endsWith('.tar'))) {
      const path = join(out, 'shards', name)
      const tar = await readFile(path)
      for await (const sample of readShard(path, { dataExtensions: new Set(), maxDataBytes: 0 })) {
        const image = sample.members.find((member) => member.name.endsWith('.jpg'))!
        written.set(sample.key, tar.subarray(image.offset, image.offset + image.size))
      }
    }
    expect([...written.keys()].sort()).toEqual(result2.kept.map((record) => record.id).sort())
    for (const [key, bytes] of written) {
      const index = key.startsWith('t') ? -1 : Number(key.slice(0, 5)) * 10 + Number(key.slice(5))
      if (index >= 0) expect(bytes.equals(images[index]!.jpeg), key).toBe(true)
    }
  })

  it('captions HF Parquet files given by a glob and writes the kept ones as rotated HF Parquet files, image bytes as received', async () => {
    const out = join(dir.path, 'run-hf')
    const result = await runCli(
      [
        'run',
        CAPFLOW,
        '--out',
        out,
        '--quiet',
        '--set',
        `source={uses: "@dataflow/plugin-source-parquet", with: {files: "${join(dir.path, 'hf/data/*.parquet')}", idColumn: id}}`,
        '--set',
        'sinks.training={uses: "@dataflow/plugin-sink-parquet", with: {path: kept/train.parquet, rotateEvery: 5, imageBytes: true}, select: {id: id, media: item.media, caption: summary.caption, text: item.text}}',
      ],
      servers.env,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const result2 = await outcomes(out)
    expect(allIds(result2)).toEqual(Array.from({ length: 26 }, (_, index) => `img-${String(index).padStart(7, '0')}`))
    expect(result2.errors).toEqual([])
    const rows: Array<Record<string, unknown>> = []
    const files = (await readdir(join(out, 'kept'))).sort()
    expect(files).toHaveLength(Math.ceil(result2.kept.length / 5))
    for (const name of files)
      rows.push(
        ...(await parquetReadObjects({ file: await asyncBufferFromFile(join(out, 'kept', name)), utf8: false })),
      )
    expect(rows.map((row) => row['id']).sort()).toEqual(result2.kept.map((record) => record.id).sort())
    for (const row of rows) {
      const index = Number(String(row['id']).slice(4))
      expect(
        Buffer.from((row['image'] as { bytes: Uint8Array }).bytes).equals(images[index]!.jpeg),
        String(row['id']),
      ).toBe(true)
    }
    expect((await readdir(join(out, 'kept'))).filter((name) => name.includes('.partial'))).toEqual([])
  })
})
