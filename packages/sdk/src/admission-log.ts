import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** An append-only log of fixed-size records, for what a cross-item node admitted. */
export interface AdmissionLog {
  /** Appends one record (`words` unsigned 32-bit numbers); written to the OS before it returns. */
  append(...words: number[]): void
  close(): void
}

/**
 * Opens (or creates) an admission log in a node's `stateDir` and calls `each` with every whole
 * record already in it (the same array, refilled). A cross-item node (dedup, sampling) appends a
 * record before the item's outcome leaves the node, so after a kill the log holds at least what
 * the run journal holds, and a resumed run decides as an uninterrupted one would. A record cut
 * short by a kill is dropped.
 */
export function openAdmissionLog(path: string, words: number, each: (record: Uint32Array) => void): AdmissionLog {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, 'a+')
  const size = words * 4
  const length = fstatSync(fd).size
  const whole = length - (length % size)
  const chunk = Buffer.alloc(size * 65536)
  const record = new Uint32Array(words)
  for (let position = 0; position < whole;) {
    const read = readSync(fd, chunk, 0, Math.min(chunk.length, whole - position), position)
    if (read <= 0) break
    for (let offset = 0; offset + size <= read; offset += size) {
      for (let word = 0; word < words; word++) record[word] = chunk.readUInt32LE(offset + word * 4)
      each(record)
    }
    position += read - (read % size)
  }
  if (whole !== length) ftruncateSync(fd, whole)
  const buffer = Buffer.alloc(size)
  return {
    append(...values) {
      for (let word = 0; word < words; word++) buffer.writeUInt32LE((values[word] ?? 0) >>> 0, word * 4)
      writeSync(fd, buffer)
    },
    close() {
      closeSync(fd)
    },
  }
}
