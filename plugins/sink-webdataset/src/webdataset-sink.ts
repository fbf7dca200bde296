import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import {
  DataflowError,
  toMediaLocation,
  type SinkCheckpoint,
  type SinkContext,
  type SinkInstance,
  type SinkRecord,
} from '@dataflow/sdk'
import type { WebDatasetSinkConfig } from './config.js'
import { TAR_TRAILER_BYTES, tarSampleBytes } from './tar-sample-bytes.js'
import { toRotatedPath } from './to-rotated-path.js'
import { writeSidecar } from './write-sidecar.js'

/**
 * Writes kept records as WebDataset shards: per record `{key}.<ext>` (the image bytes as
 * received, read through the media tools from a file, tar member or Parquet cell), `{key}.json`
 * (the record without its media field) and `{key}.txt` (its `caption`, when a string). A shard
 * is finished (end-of-archive blocks, then its Parquet sidecar) every `rotateEvery` samples and
 * at the end. Checkpoints are `{ shard, bytes }`: a resumed run cuts the open shard back and
 * drops shards begun after the checkpoint, so every record is in the shards exactly once.
 */
export async function createWebDatasetSink(config: WebDatasetSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const target = context.resolveOutput(config.path)
  const rotating = config.rotateEvery !== undefined
  const mediaField = config.media
  const tarOf = (index: number) => toRotatedPath(target, index, rotating)
  const sidecarOf = (index: number) => tarOf(index).replace(/\.tar$/i, '') + '.parquet'
  const readMedia = context.media?.readMedia?.bind(context.media)
  if (!readMedia) {
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      'the WebDataset sink needs media tools that read media bytes (readMedia)',
      {
        hint: 'Run it with the dataflow engine of this version.',
      },
    )
  }
  const start = toPosition(context.resumeFrom)
  await mkdir(dirname(target), { recursive: true })
  await removeStale(target, rotating, start.shard)

  let index = start.shard
  let samples = start.samples
  let bytes = start.bytes
  let handle = await openShard(tarOf(index), bytes)
  let closed = false

  const finishShard = async () => {
    await handle.write(Buffer.alloc(TAR_TRAILER_BYTES), 0, TAR_TRAILER_BYTES, bytes)
    await handle.sync()
    await handle.close()
    await writeSidecar(tarOf(index), sidecarOf(index))
  }

  return {
    async write(record: SinkRecord) {
      const members = await toMembers(record, mediaField, readMedia)
      const encoded = await tarSampleBytes(members)
      await handle.write(encoded, 0, encoded.length, bytes)
      bytes += encoded.length
      samples++
      if (rotating && samples >= config.rotateEvery!) {
        await finishShard()
        index++
        samples = 0
        bytes = 0
        handle = await openShard(tarOf(index), 0)
      }
    },
    flush: () => handle.sync(),
    async checkpoint() {
      await handle.sync()
      return { shard: index, bytes, samples }
    },
    async close() {
      if (closed) return
      closed = true
      if (samples > 0 || !rotating) await finishShard()
      else {
        await handle.close()
        await rm(tarOf(index), { force: true })
      }
    },
  }
}

/** The members of one record's sample; the key's dots become `_` (WebDataset keys end at the first dot). */
async function toMembers(
  record: SinkRecord,
  mediaField: string,
  readMedia: (path: string) => Promise<Uint8Array>,
): Promise<Array<{ name: string; data: Uint8Array }>> {
  const rawKey = record['key'] ?? record['id']
  if (!(typeof rawKey === 'string' && rawKey !== '') && !(typeof rawKey === 'number' && Number.isFinite(rawKey))) {
    throw new DataflowError(
      'DATAFLOW_OUTPUT_INVALID',
      `the record has no key: a WebDataset sample needs a \`key\` or \`id\` field (found ${JSON.stringify(rawKey)})`,
      {
        hint: "Select a `key` (or `id`) field in the sink's `select:`.",
      },
    )
  }
  const key = String(rawKey).replace(/\./g, '_')
  const locator = record[mediaField]
  if (typeof locator !== 'string' || locator === '') {
    throw new DataflowError('DATAFLOW_OUTPUT_INVALID', `the record of "${key}" has no image at "${mediaField}"`, {
      hint: `Select the item's media (e.g. \`${mediaField}: item.media\`) in the sink's \`select:\`.`,
    })
  }
  const location = toMediaLocation(locator)
  const name = location.kind === 'tar-member' ? location.member : location.path
  const extension =
    extname(name)
      .slice(1)
      .toLowerCase()
      .replace(/^jpeg$/, 'jpg') || 'jpg'
  const { [mediaField]: _media, ...fields } = record
  const members = [
    { name: `${key}.${extension}`, data: await readMedia(locator) },
    { name: `${key}.json`, data: Buffer.from(JSON.stringify(fields)) },
  ]
  if (typeof record['caption'] === 'string') members.push({ name: `${key}.txt`, data: Buffer.from(record['caption']) })
  return members
}

async function openShard(path: string, resumeAt: number): Promise<FileHandle> {
  if (resumeAt > 0) {
    const size = await stat(path).then(
      (info) => info.size,
      () => -1,
    )
    if (size < resumeAt) {
      throw new DataflowError(
        'DATAFLOW_RESUME_MISMATCH',
        `${path} is shorter (${Math.max(size, 0)} bytes) than at the run's last checkpoint (${resumeAt} bytes): it was changed outside dataflow`,
        { hint: 'restore the shard, or start a new run directory', details: { path } },
      )
    }
    const handle = await open(path, 'r+')
    await handle.truncate(resumeAt)
    return handle
  }
  return open(path, 'w')
}

function toPosition(checkpoint: SinkCheckpoint | undefined): { shard: number; bytes: number; samples: number } {
  if (checkpoint === undefined) return { shard: 0, bytes: 0, samples: 0 }
  const { shard, bytes, samples } = checkpoint
  if ([shard, bytes, samples].every((value) => typeof value === 'number' && Number.isInteger(value) && value >= 0))
    return { shard: shard as number, bytes: bytes as number, samples: samples as number }
  throw new DataflowError(
    'DATAFLOW_RESUME_MISMATCH',
    `the WebDataset sink's checkpoint ${JSON.stringify(checkpoint)} is not one it wrote`,
    {
      hint: 'start a new run directory',
    },
  )
}

/** Before writing: shards begun after the checkpoint's shard go, and so does the open shard's sidecar (written again when it finishes). */
async function removeStale(target: string, rotating: boolean, shard: number): Promise<void> {
  const folder = dirname(target)
  const extension = extname(target)
  const stem = basename(target, extension)
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = rotating
    ? new RegExp(`^${escape(stem)}-(\\d{5})(${escape(extension)}|\\.parquet)(\\.tmp)?$`)
    : new RegExp(`^${escape(stem)}()(\\.parquet)(\\.tmp)?$`)
  for (const name of await readdir(folder)) {
    const match = pattern.exec(name)
    if (!match) continue
    const index = rotating ? Number(match[1]) : 0
    const isTar = match[2] === extension
    if (index > shard || (index === shard && !isTar) || match[3] !== undefined)
      await rm(join(folder, name), { force: true })
  }
}
