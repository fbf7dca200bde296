import { describe, expect, it } from 'vitest'
import { parseElement, positionInElement } from './parse-element.js'
import { parseJson } from './parse-json.js'
import type { RawElement } from './raw-element.js'
import { readJsonArray } from './read-json-array.js'
import { readJsonLines } from './read-json-lines.js'
import { TextPositionError, toTextPosition } from './text-position.js'

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

async function collect(source: AsyncIterable<RawElement>): Promise<RawElement[]> {
  const elements: RawElement[] = []
  for await (const element of source) elements.push(element)
  return elements
}

async function failure(text: string, size = 7): Promise<{ message: string; line: number; column: number }> {
  try {
    await collect(readJsonArray(chunksOf(text, size)))
  } catch (error) {
    if (error instanceof TextPositionError) return { message: error.message, ...error.position }
    throw error
  }
  throw new Error('expected a failure')
}

describe('readJsonArray', () => {
  const text =
    '\uFEFF[\n  {"id": 1, "s": "a \\"quoted\\" ]} [{ bracket", "n": [1, {"x": []}]},\n  {"id": 2, "u": "日本 😀"}  ,"str",\n42, [1,2], null\n]\n'
  const expected = [
    { id: 1, s: 'a "quoted" ]} [{ bracket', n: [1, { x: [] }] },
    { id: 2, u: '日本 😀' },
    'str',
    42,
    [1, 2],
    null,
  ]

  it('yields each top-level element with its position, whatever the chunk size', async () => {
    for (const size of [1, 2, 3, 5, 8, 13, 64, 10_000]) {
      const elements = await collect(readJsonArray(chunksOf(text, size)))
      expect(elements.map(parseElement)).toEqual(expected)
      expect(elements.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5])
      expect(elements.map((e) => `${e.position.line}:${e.position.column}`)).toEqual([
        '2:3',
        '3:3',
        '3:29',
        '4:1',
        '4:5',
        '4:12',
      ])
    }
  })

  it('reads an empty list', async () => {
    expect(await collect(readJsonArray(chunksOf(' [ ] ', 2)))).toEqual([])
  })

  it('reports structural errors with line and column', async () => {
    expect(await failure('{"a": 1}')).toEqual({
      message: 'an annotation file must be a JSON list of records ([...]), found an object',
      line: 1,
      column: 1,
    })
    expect(await failure('')).toMatchObject({ message: 'the file is empty; expected a JSON list of records' })
    expect(await failure('[\n {"a": 1}\n {"b": 2}]')).toEqual({
      message: "expected ',' or ']' after record 0, found '{'",
      line: 3,
      column: 2,
    })
    expect(await failure('[{"a": 1},\n]')).toEqual({ message: "trailing comma before ']'", line: 2, column: 1 })
    expect(await failure('[{"a": [1}]')).toEqual({
      message: "expected ']' but found '}' in record 0",
      line: 1,
      column: 10,
    })
    expect(await failure('[{"a": 1}] x')).toEqual({
      message: "unexpected 'x' after the end of the list",
      line: 1,
      column: 12,
    })
    expect(await failure('[{"a": 1},\n{"b": "no end}]\n')).toEqual({
      message: 'the file ends inside record 1',
      line: 3,
      column: 1,
    })
    expect(await failure('[{"a": 1}')).toEqual({
      message: "the file ends before the list is closed with ']'",
      line: 1,
      column: 10,
    })
    expect(await failure('[,{"a": 1}]')).toEqual({ message: "expected a record, found ','", line: 1, column: 2 })
  })

  it('yields the first element before the rest of the input is read', async () => {
    const record = JSON.stringify({ id: 0, image: 'a.jpg', conversations: [{ from: 'human', value: 'x'.repeat(200) }] })
    const total = 50_000
    let pulled = 0
    async function* lazyChunks(): AsyncGenerator<string> {
      yield '['
      for (let i = 0; i < total; i++) {
        pulled++
        yield (i === 0 ? '' : ',') + record
      }
      yield ']'
    }
    const iterator = readJsonArray(lazyChunks())
    const first = await iterator.next()
    expect(parseElement(first.value as RawElement)).toMatchObject({ id: 0 })
    expect(pulled).toBeLessThanOrEqual(2)
    let count = 1
    for await (const _ of iterator) count++
    expect(count).toBe(total)
    expect(pulled).toBe(total)
  })
})

describe('readJsonLines', () => {
  it('yields non-blank lines with their line and indentation', async () => {
    const elements = await collect(readJsonLines(chunksOf('\uFEFF{"a":1}\r\n\n  {"b":2}\n{"c":3}', 4)))
    expect(elements.map((e) => [e.text, e.index, e.position.line, e.position.column])).toEqual([
      ['{"a":1}', 0, 1, 1],
      ['  {"b":2}', 1, 3, 3],
      ['{"c":3}', 2, 4, 1],
    ])
  })
})

describe('parseElement', () => {
  it('explains invalid JSON inside a record with its position in the file', () => {
    const element: RawElement = {
      text: '{"id": 1,\n  "image": "a.jpg",\n  "width": 12x}',
      index: 4,
      position: { line: 10, column: 3 },
    }
    expect(() => parseElement(element)).toThrow(TextPositionError)
    try {
      parseElement(element)
    } catch (error) {
      expect((error as TextPositionError).message).toBe(
        "expected ',' or '}' after the value of \"width\", found 'x' (record 4)",
      )
      expect((error as TextPositionError).position).toEqual({ line: 12, column: 14 })
    }
  })

  it('finds a member of a record', () => {
    const element: RawElement = { text: '{"id": 1, "size": {"w": "big"}}', index: 0, position: { line: 3, column: 5 } }
    expect(positionInElement(element, '/size/w')).toEqual({ line: 3, column: 29 })
    expect(positionInElement(element, '')).toEqual({ line: 3, column: 5 })
  })
})

describe('parseJson', () => {
  const error = (text: string) => {
    const result = parseJson(text)
    if (result.ok) throw new Error('expected an error')
    return { message: result.message, ...toTextPosition(text, result.offset) }
  }

  it('parses like JSON.parse and records positions and duplicate keys', () => {
    const text = '{\n  "a": {"root": "x", "n": [1, 2.5e3, true, null]},\n  "b": "\\u00e9\\n", "a": 1, "__proto__": 2\n}'
    const result = parseJson(text)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value).toEqual({ a: 1, b: 'é\n', ['__proto__']: 2 })
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype)
    expect(toTextPosition(text, result.positions.get('/a/root')!)).toEqual({ line: 2, column: 17 })
    expect(toTextPosition(text, result.positions.get('/a')!)).toEqual({ line: 2, column: 8 })
    expect(result.duplicateKeys.map((d) => [d.pointer, toTextPosition(text, d.offset)])).toEqual([
      ['/a', { line: 3, column: 20 }],
    ])
  })

  it('reports the first syntax error where it is', () => {
    expect(error('{"a": }')).toEqual({ message: "expected a value, found '}'", line: 1, column: 7 })
    expect(error('{\n"a" 1}')).toEqual({
      message: "expected ':' after property name \"a\", found '1'",
      line: 2,
      column: 5,
    })
    expect(error('{"a": 1,}')).toEqual({ message: "trailing comma before '}'", line: 1, column: 9 })
    expect(error('[1, 2,]')).toEqual({ message: "trailing comma before ']'", line: 1, column: 7 })
    expect(error("{'a': 1}")).toEqual({
      message: "expected a property name in double quotes, found '''",
      line: 1,
      column: 2,
    })
    expect(error('{"a": "x\ny"}')).toEqual({
      message: 'line break inside a string (write it as \\n)',
      line: 1,
      column: 9,
    })
    expect(error('{"a": "\\q"}')).toEqual({ message: "invalid escape '\\q' in string", line: 1, column: 8 })
    expect(error('{"a": 01}')).toEqual({ message: 'invalid number', line: 1, column: 7 })
    expect(error('{"a": tru}')).toEqual({ message: "expected a value, found 't'", line: 1, column: 7 })
    expect(error('{"a": "open')).toEqual({ message: 'unterminated string', line: 1, column: 7 })
    expect(error('{} {}')).toEqual({ message: "unexpected '{' after the end of the JSON value", line: 1, column: 4 })
    expect(error('  ')).toMatchObject({ message: 'the input is empty; expected a JSON value' })
    expect(error('{"a": 1')).toEqual({
      message: "expected ',' or '}' after the value of \"a\", found the end of the input",
      line: 1,
      column: 8,
    })
  })
})
