/** Result of {@link parseJson}: the value with the offset of every member, or the first syntax error. */
export type JsonParseResult =
  | {
      ok: true
      value: unknown
      /** Offset of each value by JSON Pointer. */
      positions: Map<string, number>
      /** Offset of each member's key by the member's JSON Pointer, in document order. */
      keyPositions: Map<string, number>
      duplicateKeys: { pointer: string; offset: number }[]
    }
  | { ok: false; offset: number; message: string }

class SyntaxFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'])

/** Escapes one JSON Pointer segment (`~` -> `~0`, `/` -> `~1`). */
export const toPointerSegment = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * A strict JSON parser that knows where things are: the character offset of every value
 * (by JSON Pointer, `/dataset/root`), or the offset of the first syntax error with a message
 * that says what was expected. Slower than `JSON.parse`: use it for small documents and to
 * explain a failure of `JSON.parse`. Duplicate keys keep the last value and the first position,
 * and are listed in `duplicateKeys`.
 */
export function parseJson(text: string): JsonParseResult {
  const positions = new Map<string, number>()
  const keyPositions = new Map<string, number>()
  const duplicateKeys: { pointer: string; offset: number }[] = []
  let i = 0
  const fail = (message: string, at = i): never => {
    throw new SyntaxFailure(at, message)
  }
  const describe = (at: number) => (at >= text.length ? 'the end of the input' : `'${text[at]}'`)
  const skipBlanks = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
  }

  const parseString = (): string => {
    const start = i
    i++
    for (;;) {
      if (i >= text.length) fail('unterminated string', start)
      const c = text[i]!
      if (c === '"') break
      if (c === '\\') {
        const next = text[i + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape: expected 4 hex digits')
          i += 6
        } else if (next !== undefined && ESCAPES.has(next)) {
          i += 2
        } else {
          fail(`invalid escape '\\${next ?? ''}' in string`)
        }
        continue
      }
      if (text.charCodeAt(i) < 0x20)
        fail(c === '\n' ? 'line break inside a string (write it as \\n)' : 'control character inside a string')
      i++
    }
    i++
    return JSON.parse(text.slice(start, i)) as string
  }

  const parseValue = (pointer: string): unknown => {
    skipBlanks()
    positions.set(pointer, i)
    const c = text[i]
    if (c === '{') return parseObject(pointer)
    if (c === '[') return parseArray(pointer)
    if (c === '"') return parseString()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i
      const match = NUMBER.exec(text)
      if (!match) return fail('invalid number')
      i += match[0].length
      if (/[0-9.eE+-]/.test(text[i] ?? '')) fail('invalid number', match.index)
      return Number(match[0])
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length
        return value
      }
    }
    return fail(`expected a value, found ${describe(i)}`)
  }

  const parseObject = (pointer: string): Record<string, unknown> => {
    const object: Record<string, unknown> = {}
    i++
    skipBlanks()
    if (text[i] === '}') {
      i++
      return object
    }
    for (;;) {
      skipBlanks()
      if (text[i] !== '"')
        fail(
          text[i] === '}'
            ? "trailing comma before '}'"
            : `expected a property name in double quotes, found ${describe(i)}`,
        )
      const keyAt = i
      const key = parseString()
      skipBlanks()
      if (text[i] !== ':') fail(`expected ':' after property name "${key}", found ${describe(i)}`)
      i++
      const memberPointer = `${pointer}/${toPointerSegment(key)}`
      const first = positions.get(memberPointer)
      const value = parseValue(memberPointer)
      if (first !== undefined) {
        positions.set(memberPointer, first)
        duplicateKeys.push({ pointer: memberPointer, offset: keyAt })
      } else {
        keyPositions.set(memberPointer, keyAt)
      }
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
      skipBlanks()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === '}') {
        i++
        return object
      }
      fail(`expected ',' or '}' after the value of "${key}", found ${describe(i)}`)
    }
  }

  const parseArray = (pointer: string): unknown[] => {
    const array: unknown[] = []
    i++
    skipBlanks()
    if (text[i] === ']') {
      i++
      return array
    }
    for (;;) {
      skipBlanks()
      if (text[i] === ']') fail("trailing comma before ']'")
      array.push(parseValue(`${pointer}/${array.length}`))
      skipBlanks()
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === ']') {
        i++
        return array
      }
      fail(`expected ',' or ']' after a list element, found ${describe(i)}`)
    }
  }

  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1
    skipBlanks()
    if (i >= text.length) fail('the input is empty; expected a JSON value')
    const value = parseValue('')
    skipBlanks()
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`)
    return { ok: true, value, positions, keyPositions, duplicateKeys }
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, offset: error.offset, message: error.message }
    if (error instanceof RangeError) return { ok: false, offset: i, message: 'nesting too deep' }
    throw error
  }
}
