import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import tarStream, { type Entry } from 'tar-stream'
import { findNextHeader } from './find-next-header.js'

const BLOCK = 512

/** A regular file inside a tar, located by its data's absolute byte range. */
export interface TarMember {
  name: string
  /** Absolute offset of the member's data in the tar file. */
  offset: number
  size: number
  /** The member's bytes, for members whose data was asked for and is not above `maxDataBytes`. */
  data?: Buffer
}

/** Damage found while reading: the file ends early, or a header is corrupt (reading goes on at the next valid header). */
export interface TarDamage {
  kind: 'truncated' | 'corrupt'
  /** The member whose data was being read, when the damage fell inside one. */
  inside?: string
  /** Where reading went on after a corrupt header, if anywhere. */
  resumedAt?: number
  /** Offset where the damage starts (the end of the last complete member). */
  at: number
}

export type TarEvent = { member: TarMember; damage?: never } | { damage: TarDamage; member?: never }

export interface ReadTarOptions {
  /** Offset of a header (512-aligned) to start at. Default 0. */
  from?: number
  /** Members whose bytes are wanted (the others are skipped without being kept). */
  wantData(name: string): boolean
  /** Wanted members above this size come without `data`. */
  maxDataBytes: number
}

/** End of a member's data, rounded up to the next header. */
export const toBlockEnd = (offset: number, size: number) => offset + Math.ceil(size / BLOCK) * BLOCK

/**
 * Streams the regular-file members of a tar file with tar-stream, from a header offset on.
 * Member data is never written anywhere: skipped members pass through, wanted ones are
 * collected. A truncated file ends the stream with a `truncated` damage; a corrupt header gives
 * a `corrupt` damage and reading goes on at the next valid header.
 */
export async function* readTarMembers(path: string, options: ReadTarOptions): AsyncGenerator<TarEvent> {
  let start = options.from ?? 0
  for (;;) {
    const input = createReadStream(path, { start, highWaterMark: 1 << 20 })
    const extract = tarStream.extract()
    input.on('error', (error) => extract.destroy(error))
    input.pipe(extract)
    let lastEnd = start
    let inside: string | undefined
    try {
      for await (const entry of extract) {
        const { header } = entry
        // Offset of the entry's own header block in the stream (tar-stream 3.x keeps it; pax and GNU long-name blocks come before it).
        const headerAt = (entry as Entry & { offset: number }).offset
        const size = header.size ?? 0
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          await drain(entry, false, 0)
          lastEnd = toBlockEnd(start + headerAt + BLOCK, size)
          continue
        }
        inside = header.name
        const offset = start + headerAt + BLOCK
        const keep = size <= options.maxDataBytes && options.wantData(header.name)
        const data = await drain(entry, keep, size)
        inside = undefined
        lastEnd = toBlockEnd(offset, size)
        yield { member: { name: header.name, offset, size, ...(data ? { data } : {}) } }
      }
      return
    } catch (error) {
      input.destroy()
      const message = error instanceof Error ? error.message : String(error)
      if (/unexpected end of data/i.test(message)) {
        yield { damage: { kind: 'truncated', at: lastEnd, ...(inside === undefined ? {} : { inside }) } }
        return
      }
      if (!/invalid tar header/i.test(message)) throw error
      const next = await scanFrom(path, lastEnd + BLOCK)
      yield { damage: { kind: 'corrupt', at: lastEnd, ...(next === undefined ? {} : { resumedAt: next }) } }
      if (next === undefined) return
      start = next
    }
  }
}

/** Reads an entry to its end: its bytes when `keep`, else nothing. Rejects when the tar ends inside it. */
function drain(entry: Entry, keep: boolean, size: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    entry.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (keep) chunks.push(chunk)
    })
    entry.on('end', () => {
      if (received < size) reject(new Error('Unexpected end of data'))
      else resolve(keep ? Buffer.concat(chunks, received) : undefined)
    })
    entry.on('error', (error: Error) => reject(error))
    entry.on('close', () => {
      if (received < size) reject(new Error('Unexpected end of data'))
    })
  })
}

async function scanFrom(path: string, from: number): Promise<number | undefined> {
  const file = await open(path, 'r')
  try {
    return await findNextHeader(file, from)
  } finally {
    await file.close()
  }
}
