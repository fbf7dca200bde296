import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import {
  DataflowError,
  expandFilePatterns,
  type SourceContext,
  type SourceInstance,
  type SourcePosition,
  type SourceRecord,
} from '@dataflow/sdk'
import type { WebDatasetSourceConfig } from './config.js'
import { countShardItems } from './count-shard-items.js'
import { MAX_TEXT_BYTES, TEXT_EXTENSIONS } from './media-extensions.js'
import { readShard } from './read-shard.js'
import { toSourceRecord } from './to-source-record.js'

/**
 * Lists the shards (this process's share of them under `--shard i/n`: every n-th shard) and
 * reads them in order, one sample per pull. Records carry `{ shard, offset }` positions, so a
 * resumed run seeks into the shard where it stopped and never reads finished shards again.
 */
export async function createWebDatasetSource(
  config: WebDatasetSourceConfig,
  context: SourceContext,
): Promise<SourceInstance> {
  const listed = await expandFilePatterns(config.shards, {
    resolvePath: (path) => context.resolvePath(path),
    what: 'tar shards',
    field: 'shards',
  })
  const shard = context.shard
  const shards = shard ? listed.filter((_, index) => index % shard.count === shard.index) : listed
  let counted: Promise<number | undefined> | undefined

  return {
    count: () => (counted ??= countShardItems(shards)),
    async fingerprint() {
      const hash = createHash('sha256')
      for (const path of shards) {
        const info = await stat(path).catch(() => undefined)
        hash.update(`${path}\0${info?.size ?? -1}\0${Math.trunc(info?.mtimeMs ?? 0)}\n`)
      }
      return `webdataset:${shards.length} shards:${hash.digest('hex').slice(0, 16)}`
    },
    async *read(after?: SourcePosition): AsyncGenerator<SourceRecord> {
      const start = toStart(after, shards.length)
      for (let index = start.shard; index < shards.length; index++) {
        const path = shards[index]!
        const unreadable = await checkShard(path)
        if (unreadable) {
          yield { ...unreadable, position: { shard: index + 1, offset: 0 }, shard: index }
          continue
        }
        const samples = readShard(path, {
          ...(index === start.shard ? { from: start.offset } : {}),
          dataExtensions: TEXT_EXTENSIONS,
          maxDataBytes: MAX_TEXT_BYTES,
        })
        for await (const sample of samples) {
          if (context.signal.aborted) return
          yield { ...toSourceRecord(path, sample), position: { shard: index, offset: sample.end }, shard: index }
        }
      }
    },
  }
}

function toStart(after: SourcePosition | undefined, count: number): { shard: number; offset: number } {
  if (after === undefined) return { shard: 0, offset: 0 }
  const { shard, offset } = after
  if (
    typeof shard === 'number' &&
    typeof offset === 'number' &&
    Number.isInteger(shard) &&
    Number.isInteger(offset) &&
    shard >= 0 &&
    shard <= count &&
    offset >= 0 &&
    offset % 512 === 0
  )
    return { shard, offset }
  throw new DataflowError(
    'DATAFLOW_RESUME_MISMATCH',
    `the run journal's source position ${JSON.stringify(after)} does not fit these ${count} shards`,
    {
      hint: 'resume with the same shards, or start a new run directory',
    },
  )
}

/** An error record for a shard that cannot be opened (deleted or unreadable after the run started). */
async function checkShard(path: string): Promise<SourceRecord | undefined> {
  try {
    const info = await stat(path)
    if (info.isFile()) return undefined
  } catch (error) {
    return {
      id: basename(path),
      error: new DataflowError(
        'DATAFLOW_INPUT_NOT_FOUND',
        `${path}: the shard cannot be read (${(error as Error).message})`,
        {
          hint: 'Restore the shard and resume the run, or leave its items out.',
          details: { shard: path },
        },
      ),
    }
  }
  return {
    id: basename(path),
    error: new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `${path}: the shard is not a file`, {
      details: { shard: path },
    }),
  }
}
