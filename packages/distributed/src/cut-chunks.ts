import type { SourceInstance, SourcePosition } from '@dataflow/sdk'
import type { ChunkSpec } from './chunk-spec.js'

/** Where the next chunk starts: persisted in Redis so that a restarted coordinator continues cutting there. */
export interface CutPoint {
  index: number
  after?: SourcePosition
  skip: number
}

export const FIRST_CUT: CutPoint = { index: 0, skip: 0 }

/**
 * Reads the source from `from` and yields chunks of `size` consecutive records (the last may be
 * shorter), each with the cut point after it. Records that name their shard file (WebDataset,
 * Parquet) are cut one chunk per shard file instead, whatever `size`. Pulled: nothing is read
 * ahead of the next record.
 */
export async function* cutChunks(
  source: SourceInstance,
  size: number,
  from: CutPoint = FIRST_CUT,
): AsyncGenerator<{ chunk: ChunkSpec; next: CutPoint }> {
  let start = from
  let toSkip = from.skip
  let inChunk = 0
  let after = from.after
  let sinceAfter = from.skip
  let shard: number | undefined
  for await (const record of source.read(from.after)) {
    if (toSkip > 0) {
      toSkip--
      continue
    }
    if (inChunk > 0 && shard !== undefined && record.shard !== shard) {
      const next: CutPoint = { index: start.index + 1, ...(after ? { after } : {}), skip: sinceAfter }
      yield { chunk: { ...start, size: inChunk }, next }
      start = next
      inChunk = 0
    }
    shard = record.shard
    inChunk++
    if (record.position) {
      after = record.position
      sinceAfter = 0
    } else sinceAfter++
    if (shard === undefined && inChunk === size) {
      const next: CutPoint = { index: start.index + 1, ...(after ? { after } : {}), skip: sinceAfter }
      yield { chunk: { ...start, size }, next }
      start = next
      inChunk = 0
    }
  }
  if (inChunk > 0) {
    const next: CutPoint = { index: start.index + 1, ...(after ? { after } : {}), skip: sinceAfter }
    yield { chunk: { ...start, size: inChunk }, next }
  }
}
