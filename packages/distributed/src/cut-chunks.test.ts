import { describe, expect, it } from 'vitest'
import type { SourceInstance, SourcePosition, SourceRecord } from '@dataflow/sdk'
import { cutChunks } from './cut-chunks.js'
import { readChunk } from './chunk-source.js'

/**
 * A source of `count` records; with positions, `read(after)` seeks like WebDataset/Parquet do;
 * with `perShard`, records name their shard file (`perShard` records each).
 */
function source(count: number, positions: boolean, perShard?: number): SourceInstance {
  return {
    read(after?: SourcePosition): AsyncIterable<SourceRecord> {
      const start = after ? (after['next'] as number) : 0
      return (async function* () {
        for (let index = start; index < count; index++)
          yield {
            id: `r${index}`,
            data: {},
            ...(positions ? { position: { next: index + 1 } } : {}),
            ...(perShard ? { shard: Math.floor(index / perShard) } : {}),
          }
      })()
    },
  }
}

async function ids(records: AsyncIterable<SourceRecord>): Promise<string[]> {
  const out: string[] = []
  for await (const record of records) out.push(record.id)
  return out
}

describe.each([true, false])('cutChunks (source positions: %s)', (positions) => {
  it('cuts the input into consecutive chunks that, read alone, give every record once', async () => {
    const input = source(23, positions)
    const chunks = []
    for await (const { chunk } of cutChunks(input, 5)) chunks.push(chunk)
    expect(chunks.map((chunk) => chunk.size)).toEqual([5, 5, 5, 5, 3])
    const read = (await Promise.all(chunks.map((chunk) => ids(readChunk(input, chunk))))).flat()
    expect(read).toEqual(Array.from({ length: 23 }, (_, index) => `r${index}`))
  })

  it('cuts one chunk per shard file when records name their shard, whatever the chunk size', async () => {
    const input = source(23, positions, 7)
    const chunks = []
    for await (const { chunk } of cutChunks(input, 5)) chunks.push(chunk)
    expect(chunks.map((chunk) => chunk.size)).toEqual([7, 7, 7, 2])
    const perChunk = await Promise.all(chunks.map((chunk) => ids(readChunk(input, chunk))))
    expect(perChunk[1]).toEqual(['r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13'])
    expect(perChunk.flat()).toEqual(Array.from({ length: 23 }, (_, index) => `r${index}`))
    // A coordinator restarted after the first shard continues with the second.
    const first = await cutChunks(input, 5).next()
    const rest = []
    for await (const { chunk } of cutChunks(input, 5, first.value!.next)) rest.push(chunk)
    expect([first.value!.chunk, ...rest]).toEqual(chunks)
  })

  it('continues from a saved cut point as if it had never stopped', async () => {
    const input = source(12, positions)
    const all = []
    for await (const { chunk } of cutChunks(input, 4)) all.push(chunk)
    const first = await cutChunks(input, 4).next()
    const rest = []
    for await (const { chunk } of cutChunks(input, 4, first.value!.next)) rest.push(chunk)
    expect([first.value!.chunk, ...rest]).toEqual(all)
  })

  it('a chunk resumed after one of its own records yields the rest of the chunk only', async () => {
    const input = source(20, positions)
    const chunks = []
    for await (const { chunk } of cutChunks(input, 6)) chunks.push(chunk)
    const chunk = chunks[1]!
    let third: SourcePosition | undefined
    let n = 0
    for await (const record of readChunk(input, chunk)) if (++n === 3) third = record.position
    expect(await ids(readChunk(input, chunk, third))).toEqual(['r9', 'r10', 'r11'])
  })
})
