import type { RawElement } from './raw-element.js'
import { TextPositionError } from './text-position.js'

type State = 'start' | 'open' | 'afterComma' | 'element' | 'afterElement' | 'end'

const CLOSER: Readonly<Record<string, string>> = { '{': '}', '[': ']' }
const isBlank = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t'

/**
 * Reads a JSON list incrementally: chunks of text in, one top-level element out at a time,
 * never holding more than the current chunk and the element being read. Tracks strings
 * (with escaped quotes and brackets inside them) and bracket nesting; an element's own JSON
 * is checked by whoever parses it. Structural errors (no `[`, a missing comma, a mismatched
 * bracket, a trailing comma, content after `]`, an unterminated list) throw a
 * {@link TextPositionError} with the line and column.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<RawElement> {
  let state = 'start' as State
  let line = 1
  let lineStart = 0
  let offset = 0
  let index = 0
  // The element being read.
  let parts: string[] = []
  let closers: string[] = []
  let inString = false
  let escaped = false
  let scalar = false
  let elementStart = { line: 1, column: 1 }
  const here = (at: number) => ({ line, column: at - lineStart + 1 })
  const fail = (message: string, at: number): never => {
    throw new TextPositionError(message, here(at))
  }
  let first = true

  for await (let chunk of chunks) {
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    first = false
    let elementFrom = state === 'element' ? 0 : -1
    for (let k = 0; k < chunk.length; k++) {
      const c = chunk[k]!
      const at = offset + k
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false
          else if (c === '\\') escaped = true
          else if (c === '"') {
            inString = false
            if (closers.length === 0 && !scalar) {
              parts.push(chunk.slice(elementFrom, k + 1))
              yield { text: parts.join(''), index: index++, position: elementStart }
              state = 'afterElement'
            }
          }
        } else if (scalar) {
          if (isBlank(c) || c === ',' || c === ']') {
            parts.push(chunk.slice(elementFrom, k))
            yield { text: parts.join(''), index: index++, position: elementStart }
            state = 'afterElement'
            k--
            continue
          }
        } else if (c === '"') {
          inString = true
        } else if (c === '{' || c === '[') {
          closers.push(CLOSER[c]!)
        } else if (c === '}' || c === ']') {
          const expected = closers.pop()
          if (c !== expected) fail(`expected '${expected}' but found '${c}' in record ${index}`, at)
          if (closers.length === 0) {
            parts.push(chunk.slice(elementFrom, k + 1))
            yield { text: parts.join(''), index: index++, position: elementStart }
            state = 'afterElement'
          }
        }
      } else if (!isBlank(c)) {
        if (state === 'start') {
          if (c !== '[')
            fail(
              c === '{'
                ? 'an annotation file must be a JSON list of records ([...]), found an object'
                : `expected '[' (a JSON list of records), found '${c}'`,
              at,
            )
          state = 'open'
        } else if (state === 'afterElement') {
          if (c === ',') state = 'afterComma'
          else if (c === ']') state = 'end'
          else fail(`expected ',' or ']' after record ${index - 1}, found '${c}'`, at)
        } else if (state === 'end') {
          fail(`unexpected '${c}' after the end of the list`, at)
        } else if (c === ']') {
          if (state === 'afterComma') fail("trailing comma before ']'", at)
          state = 'end'
        } else if (c === ',' || c === '}') {
          fail(`expected a record, found '${c}'`, at)
        } else {
          state = 'element'
          parts = []
          closers = c === '{' || c === '[' ? [CLOSER[c]!] : []
          inString = c === '"'
          escaped = false
          scalar = closers.length === 0 && !inString
          elementStart = here(at)
          elementFrom = k
        }
      }
      if (c === '\n') {
        line++
        lineStart = at + 1
      }
    }
    if (state === 'element') parts.push(chunk.slice(elementFrom))
    offset += chunk.length
  }
  if (state === 'element' && scalar) {
    yield { text: parts.join(''), index: index++, position: elementStart }
    state = 'afterElement'
  }
  if (state === 'start') fail('the file is empty; expected a JSON list of records', offset)
  if (state !== 'end')
    fail(
      state === 'element' ? `the file ends inside record ${index}` : "the file ends before the list is closed with ']'",
      offset,
    )
}
