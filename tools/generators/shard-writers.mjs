/**
 * Writers for container datasets, shared by the shard generator, the tests' fixtures and the
 * benchmarks: img2dataset-style WebDataset tar shards and Hugging Face-style Parquet files.
 * Deterministic: the same input gives the same bytes.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ByteWriter, parquetWriteBuffer } from 'hyparquet-writer'
import tarStream from 'tar-stream'

const EPOCH = new Date(0)

/** Bytes of a tar holding `members` ({ name, data }) in order, ustar, fixed mtime. */
export async function tarBytes(members) {
  const pack = tarStream.pack()
  const chunks = []
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk)
  })()
  for (const member of members) {
    await new Promise((resolve, reject) =>
      pack.entry({ name: member.name, mtime: EPOCH, mode: 0o644 }, member.data, (error) =>
        error ? reject(error) : resolve(),
      ),
    )
  }
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

/**
 * One img2dataset shard: `<stem>.tar` with `{key}.jpg`, `{key}.json`, `{key}.txt` per sample, the
 * `<stem>.parquet` sidecar (one row per sample) and `<stem>_stats.json`.
 * `samples`: [{ key, jpeg, caption, width, height, url? }].
 */
export async function writeImg2datasetShard(dir, stem, samples) {
  await mkdir(dir, { recursive: true })
  const members = []
  const rows = []
  for (const sample of samples) {
    const sha256 = createHash('sha256').update(sample.jpeg).digest('hex')
    const url = sample.url ?? `https://example.invalid/images/${sample.key}.jpg`
    const meta = {
      url,
      caption: sample.caption,
      key: sample.key,
      status: 'success',
      error_message: null,
      width: sample.width,
      height: sample.height,
      original_width: sample.width,
      original_height: sample.height,
      exif: null,
      sha256,
    }
    members.push({ name: `${sample.key}.jpg`, data: sample.jpeg })
    members.push({ name: `${sample.key}.json`, data: Buffer.from(JSON.stringify(meta)) })
    members.push({ name: `${sample.key}.txt`, data: Buffer.from(sample.caption) })
    rows.push(meta)
  }
  await writeFile(`${dir}/${stem}.tar`, await tarBytes(members))
  const sidecar = parquetWriteBuffer({
    columnData: [
      { name: 'url', data: rows.map((row) => row.url), type: 'STRING' },
      { name: 'caption', data: rows.map((row) => row.caption), type: 'STRING' },
      { name: 'key', data: rows.map((row) => row.key), type: 'STRING' },
      { name: 'status', data: rows.map((row) => row.status), type: 'STRING' },
      { name: 'error_message', data: rows.map(() => null), type: 'STRING' },
      { name: 'width', data: rows.map((row) => row.width), type: 'INT32' },
      { name: 'height', data: rows.map((row) => row.height), type: 'INT32' },
      { name: 'sha256', data: rows.map((row) => row.sha256), type: 'STRING' },
    ],
  })
  await writeFile(`${dir}/${stem}.parquet`, new Uint8Array(sidecar))
  const stats = {
    count: samples.length,
    successes: samples.length,
    failed_to_download: 0,
    failed_to_resize: 0,
    status_dict: { success: samples.length },
  }
  await writeFile(`${dir}/${stem}_stats.json`, `${JSON.stringify(stats, null, 2)}\n`)
}

/** The Hugging Face `datasets` image layout: an `image` struct column `{ bytes, path }` next to plain columns. */
export const HF_SCHEMA = [
  { name: 'schema', num_children: 3 },
  { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
]

/**
 * One HF-style Parquet file: rows `{ image: { bytes, path }, id, text }`, in row groups of
 * `rowGroupRows`. `rows`: [{ id, name, bytes, text }] (`bytes` null for a row without image).
 */
export async function writeHfParquet(path, rows, rowGroupRows = 100) {
  await mkdir(dirname(path), { recursive: true })
  const writer = new ByteWriter()
  const { ParquetWriter } = await import('hyparquet-writer')
  const parquet = new ParquetWriter({ writer, schema: HF_SCHEMA })
  for (let start = 0; start < rows.length; start += rowGroupRows) {
    const group = rows.slice(start, start + rowGroupRows)
    parquet.write({
      columnData: [
        { name: 'image', data: group.map((row) => (row.bytes === null ? null : { bytes: row.bytes, path: row.name })) },
        { name: 'id', data: group.map((row) => row.id) },
        { name: 'text', data: group.map((row) => row.text) },
      ],
      rowGroupSize: rowGroupRows,
    })
  }
  parquet.finish()
  await writeFile(path, new Uint8Array(writer.getBuffer()))
}
