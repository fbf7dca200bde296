import { createReadStream } from 'node:fs'

const NEWLINE = 0x0a
const BLANKS = new Set([0x20, 0x09, 0x0d])

/**
 * Counts the lines of a file that hold anything but blanks, streaming over raw bytes
 * (no decoding, no line strings): cheap enough to call for progress on large files.
 */
export async function countNonBlankLines(path: string): Promise<number> {
  let count = 0
  let lineHasContent = false
  let first = true
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let offset = 0
    // A UTF-8 byte order mark is not content.
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) offset = 3
    first = false
    for (let i = offset; i < chunk.length; i++) {
      const byte = chunk[i]!
      if (byte === NEWLINE) {
        if (lineHasContent) count++
        lineHasContent = false
      } else if (!lineHasContent && !BLANKS.has(byte)) {
        lineHasContent = true
      }
    }
  }
  return lineHasContent ? count + 1 : count
}
