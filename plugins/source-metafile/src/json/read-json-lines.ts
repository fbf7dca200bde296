import type { RawElement } from './raw-element.js'

/** Reads JSONL incrementally: one element per non-blank line (`\n` or `\r\n`), with its position. */
export async function* readJsonLines(chunks: AsyncIterable<string>): AsyncGenerator<RawElement> {
  let partial: string[] = []
  let line = 0
  let index = 0
  let first = true
  const toElement = (text: string): RawElement | undefined => {
    line++
    const body = text.endsWith('\r') ? text.slice(0, -1) : text
    const indent = body.length - body.trimStart().length
    if (indent === body.length) return undefined
    return { text: body, index: index++, position: { line, column: indent + 1 } }
  }
  for await (let chunk of chunks) {
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    first = false
    let start = 0
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, newline)
      const element = toElement(partial.length === 0 ? piece : partial.join('') + piece)
      partial = []
      if (element) yield element
      start = newline + 1
    }
    if (start < chunk.length) partial.push(chunk.slice(start))
  }
  if (partial.length > 0) {
    const element = toElement(partial.join(''))
    if (element) yield element
  }
}
