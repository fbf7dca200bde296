import type { Shard, SourceRecord } from '@dataflow/sdk'

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
