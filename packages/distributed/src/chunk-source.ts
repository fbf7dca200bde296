import type { SourceDefinition, SourceInstance, SourcePosition, SourceRecord } from '@dataflow/sdk'
import type { LoadedPipeline } from '@dataflow/core'
import type { ChunkSpec } from './chunk-spec.js'

/** A chunk record's position: its index inside the chunk and the source's own position, if it gave one. */
interface ChunkPosition extends SourcePosition {
  n: number
  inner?: SourcePosition
}

/** Yields the records of one chunk; positions are the chunk's, so a resumed chunk run seeks like a local run. */
export function readChunk(
  source: SourceInstance,
  chunk: ChunkSpec,
  after?: SourcePosition,
): AsyncIterable<SourceRecord> {
  const resumed = after as ChunkPosition | undefined
  return {
    async *[Symbol.asyncIterator]() {
      let n = resumed ? resumed.n + 1 : 0
      if (n >= chunk.size) return
      let skip = resumed?.inner ? 0 : chunk.skip + n
      const records = resumed?.inner ? source.read(resumed.inner) : source.read(chunk.after)
      for await (const record of records) {
        if (skip > 0) {
          skip--
          continue
        }
        const position: ChunkPosition = { n, ...(record.position ? { inner: record.position } : {}) }
        yield { ...record, position }
        if (++n >= chunk.size) return
      }
    },
  }
}

/** The pipeline with its source narrowed to one chunk; everything else (nodes, sinks, models) is the same. */
export function toChunkPipeline(pipeline: LoadedPipeline, chunk: ChunkSpec): LoadedPipeline {
  const original = pipeline.source.definition
  const definition: SourceDefinition = {
    ...original,
    // The chunk selects its own records; a --shard never applies inside a chunk.
    shards: true,
    async create(config, context) {
      const source = await original.create(config, { ...context, shard: undefined })
      return {
        count: async () => chunk.size,
        read: (after) => readChunk(source, chunk, after),
        fingerprint: async () =>
          `${(await source.fingerprint?.()) ?? ''}|chunk ${chunk.index} ${JSON.stringify(chunk.after ?? null)} +${chunk.skip} x${chunk.size}`,
        close: () => source.close?.(),
      }
    },
  }
  return { ...pipeline, source: { ...pipeline.source, definition } }
}
