import { DataflowError, type Shard, type SourceRecord } from '@dataflow/sdk'
import type { PriorResult } from './item-run.js'
import type { RunStore } from './run-store.js'
import type { SourceProgress } from './source-progress.js'

/** A record with its position in the input and, on resume, the node results already journaled for it. */
export interface PositionedRecord {
  seq: number
  record: SourceRecord
  prior: Array<PriorResult | undefined> | undefined
}

/** Keeps every `count`-th record starting at `index`: sharding for sources that do not shard themselves. */
export async function* keepShard(records: AsyncIterable<SourceRecord>, shard: Shard): AsyncIterable<SourceRecord> {
  let position = 0
  for await (const record of records) {
    if (position++ % shard.count === shard.index) yield record
  }
}

/** Stops after `limit` records, without reading the next one. */
export async function* takeRecords(records: AsyncIterable<SourceRecord>, limit: number): AsyncIterable<SourceRecord> {
  if (limit <= 0) return
  let taken = 0
  for await (const record of records) {
    yield record
    if (++taken >= limit) return
  }
}

/** How many items the run will take: the source's count, cut by the shard (when the core shards) and the limit. */
export async function countItems(
  count: Promise<number | undefined> | undefined,
  coreShards: boolean,
  options: { shard?: Shard | undefined; limit?: number | undefined },
): Promise<number | undefined> {
  let total = await count?.catch(() => undefined)
  if (total === undefined) return undefined
  if (options.shard && coreShards) {
    total = Math.max(0, Math.ceil((total - options.shard.index) / options.shard.count))
  }
  return options.limit === undefined ? total : Math.min(total, options.limit)
}

/** Numbers the records by input position; on resume skips finished items and attaches the journaled node results of started ones. */
export async function* positionRecords(
  records: AsyncIterable<SourceRecord>,
  store: RunStore | undefined,
  progress: SourceProgress,
  start = 0,
): AsyncIterable<PositionedRecord> {
  let seq = start
  for await (const record of records) {
    const position = seq++
    progress.read(position, record.position)
    const known = store?.lookup(position)
    if (known === undefined) {
      yield { seq: position, record, prior: undefined }
    } else if ('finished' in known) {
      if (known.finished !== record.id) {
        throw new DataflowError(
          'DATAFLOW_RESUME_MISMATCH',
          `input position ${position} holds item "${record.id}" but the run journal has "${known.finished}" there: the input changed`,
          {
            hint: 'resume on the unchanged input, or start a new run directory',
          },
        )
      }
      progress.finished(position)
    } else {
      yield { seq: position, record, prior: known.prior }
    }
  }
}
