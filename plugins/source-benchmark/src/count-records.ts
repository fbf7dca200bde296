import { createReadStream } from 'node:fs'

const NEWLINE = 0x0a
const QUOTE = 0x22
const BLANKS = new Set([0x20, 0x09, 0x0d])

/**
 * Counts the records holding anything but blanks, streaming over raw bytes with `indexOf`
 * (base64 rows are megabytes long). With `quoted`, line breaks inside `"..."` do not end a
 * record (see readRecords).
 */
export async function countRecords(path: string, quoted: boolean): Promise<number> {
  let count = 0
  let hasContent = false
  let inQuotes = false
  let first = true
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let position = 0
    if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) position = 3
    first = false
    while (position <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, position)
      const end = newline === -1 ? chunk.length : newline
      if (quoted) {
        for (
          let quote = chunk.indexOf(QUOTE, position);
          quote !== -1 && quote < end;
          quote = chunk.indexOf(QUOTE, quote + 1)
        )
          inQuotes = !inQuotes
      }
      for (let i = position; !hasContent && i < end; i++) if (!BLANKS.has(chunk[i]!)) hasContent = true
      if (newline === -1) break
      position = newline + 1
      if (inQuotes) continue
      if (hasContent) count++
      hasContent = false
    }
  }
  return hasContent ? count + 1 : count
}
