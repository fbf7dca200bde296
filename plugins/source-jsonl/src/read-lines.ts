import { createReadStream } from 'node:fs'

/** One line of a text file, without its line break. */
export interface Line {
  /** 1-based. */
  number: number
  text: string
}

/**
 * Streams a UTF-8 text file line by line (`\n` or `\r\n`), pulled lazily: only one chunk
 * of the file is held at a time, plus the line being assembled.
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })
  let partial: string[] = []
  let number = 0
  let first = true
  const finish = (text: string): Line => {
    number++
    return { number, text: text.endsWith('\r') ? text.slice(0, -1) : text }
  }
  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk
    if (first) {
      first = false
      if (text.startsWith('\uFEFF')) text = text.slice(1)
    }
    let start = 0
    let newline = text.indexOf('\n', start)
    while (newline !== -1) {
      const piece = text.slice(start, newline)
      const line = partial.length === 0 ? piece : partial.join('') + piece
      partial = []
      yield finish(line)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    if (start < text.length) partial.push(text.slice(start))
  }
  if (partial.length > 0) yield finish(partial.join(''))
}
