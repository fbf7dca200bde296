import { createReadStream } from 'node:fs'

/** One record of a text file: a line, or (TSV) several lines joined by a quoted field. */
export interface TextRecord {
  /** 1-based line on which the record starts. */
  line: number
  /** The record without its final line break. */
  text: string
}

export interface ReadRecordsOptions {
  /**
   * True for CSV-style quoting (TSV written by pandas): a line break inside `"..."` does not end
   * the record. Quotes only open a field or come doubled inside one, so the parity of the `"`
   * seen so far tells whether a line break is inside a field.
   */
  quoted: boolean
}

/**
 * Streams a UTF-8 file record by record, pulled lazily: the chunk being read and the record
 * being assembled are all it holds, however large the file (base64 rows can be megabytes).
 */
export async function* readRecords(path: string, options: ReadRecordsOptions): AsyncGenerator<TextRecord> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  let parts: string[] = []
  let inQuotes = false
  let line = 1
  let recordLine = 1
  let first = true
  const finish = (text: string): TextRecord => ({
    line: recordLine,
    text: text.endsWith('\r') ? text.slice(0, -1) : text,
  })
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk
    if (first) {
      first = false
      if (text.startsWith('\uFEFF')) text = text.slice(1)
    }
    let start = 0
    let position = 0
    for (;;) {
      const newline = text.indexOf('\n', position)
      const end = newline === -1 ? text.length : newline
      if (options.quoted) {
        for (let quote = text.indexOf('"', position); quote !== -1 && quote < end; quote = text.indexOf('"', quote + 1))
          inQuotes = !inQuotes
      }
      if (newline === -1) {
        if (start < text.length) parts.push(text.slice(start))
        break
      }
      line++
      position = newline + 1
      if (inQuotes) continue
      const piece = text.slice(start, newline)
      const record = parts.length === 0 ? piece : parts.join('') + piece
      parts = []
      yield finish(record)
      recordLine = line
      start = position
    }
  }
  if (parts.length > 0) yield finish(parts.join(''))
}
