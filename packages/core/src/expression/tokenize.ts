import { expressionError } from './expression-error.js'

export type TokenKind =
  | 'path'
  | 'string'
  | 'number'
  | 'true'
  | 'false'
  | 'null'
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'compare'
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | 'end'

export interface Token {
  readonly kind: TokenKind
  /** The text as written (for strings: the decoded value). */
  readonly text: string
  readonly offset: number
  /** For paths: the segments. */
  readonly segments?: readonly string[]
  /** For numbers: the value. */
  readonly number?: number
}

/** Longest accepted expression, in characters. */
export const MAX_EXPRESSION_LENGTH = 4096

/** Path segments that could reach an object's prototype: never allowed. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor'])

const KEYWORDS = new Map<string, TokenKind>([
  ['true', 'true'],
  ['false', 'false'],
  ['null', 'null'],
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['in', 'in'],
])

/** Words that cannot start a path (so they cannot be node ids either). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(KEYWORDS.keys())

const FIRST_SEGMENT = /[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?/y
const NEXT_SEGMENT = /[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?/y
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r' }

/** Splits an expression into tokens; throws DATAFLOW_EXPRESSION_INVALID with the offset of the first bad character. */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw expressionError(
      text,
      MAX_EXPRESSION_LENGTH,
      `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
      'split the logic over several nodes',
    )
  }
  const tokens: Token[] = []
  let at = 0
  while (at < text.length) {
    const char = text[at]!
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      at++
      continue
    }
    const two = text.slice(at, at + 2)
    if (two === '&&') {
      tokens.push({ kind: 'and', text: two, offset: at })
      at += 2
      continue
    }
    if (two === '||') {
      tokens.push({ kind: 'or', text: two, offset: at })
      at += 2
      continue
    }
    if (text.slice(at, at + 3) === '===' || text.slice(at, at + 3) === '!==') {
      throw expressionError(
        text,
        at,
        `unexpected "${text.slice(at, at + 3)}"`,
        `write ${text.slice(at, at + 2)} (comparisons are always strict)`,
      )
    }
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'compare', text: two, offset: at })
      at += 2
      continue
    }
    if (char === '<' || char === '>') {
      tokens.push({ kind: 'compare', text: char, offset: at })
      at++
      continue
    }
    if (char === '!') {
      tokens.push({ kind: 'not', text: char, offset: at })
      at++
      continue
    }
    if (char === '(' || char === ')' || char === '[' || char === ']' || char === ',') {
      tokens.push({ kind: char, text: char, offset: at })
      at++
      continue
    }
    if (char === '=') throw expressionError(text, at, 'unexpected "="', 'write == to compare')
    if (char === '&' || char === '|')
      throw expressionError(
        text,
        at,
        `unexpected "${char}"`,
        `write ${char}${char} (or ${char === '&' ? 'and' : 'or'})`,
      )
    if (char === "'" || char === '"') {
      const [token, next] = readString(text, at)
      tokens.push(token)
      at = next
      continue
    }
    if (/[-\d]/.test(char)) {
      tokens.push(readNumber(text, at))
      at = end(tokens)
      continue
    }
    if (/[A-Za-z_]/.test(char)) {
      tokens.push(readPath(text, at))
      at = end(tokens)
      continue
    }
    throw expressionError(text, at, `unexpected character "${char}"`)
  }
  tokens.push({ kind: 'end', text: '', offset: text.length })
  return tokens
}

function end(tokens: Token[]): number {
  const last = tokens[tokens.length - 1]!
  return last.offset + last.text.length
}

/** Reads a quoted string starting at `start`; returns the token and the offset after the closing quote. */
function readString(text: string, start: number): [Token, number] {
  const quote = text[start]!
  let value = ''
  let at = start + 1
  while (at < text.length) {
    const char = text[at]!
    if (char === quote) return [{ kind: 'string', text: value, offset: start }, at + 1]
    if (char === '\\') {
      const next = text[at + 1]
      const decoded = next === undefined ? undefined : ESCAPES[next]
      if (decoded === undefined)
        throw expressionError(
          text,
          at,
          `unknown escape "\\${next ?? ''}" in string`,
          'allowed escapes: \\\\ \\\' \\" \\n \\t \\r',
        )
      value += decoded
      at += 2
      continue
    }
    value += char
    at++
  }
  throw expressionError(text, start, 'string is not closed', `add the closing ${quote}`)
}

function readNumber(text: string, start: number): Token {
  NUMBER.lastIndex = start
  const match = NUMBER.exec(text)
  if (match === null)
    throw expressionError(
      text,
      start,
      `unexpected character "${text[start]}"`,
      'numbers are written like 3, -1.5 or 2e3',
    )
  const after = text[start + match[0].length]
  if (after !== undefined && /[A-Za-z_.]/.test(after))
    throw expressionError(text, start + match[0].length, `unexpected "${after}" after the number ${match[0]}`)
  return { kind: 'number', text: match[0], offset: start, number: Number(match[0]) }
}

function readPath(text: string, start: number): Token {
  const segments: string[] = []
  let at = start
  let pattern = FIRST_SEGMENT
  for (;;) {
    pattern.lastIndex = at
    const match = pattern.exec(text)
    if (match === null)
      throw expressionError(
        text,
        at,
        'a path segment is missing after "."',
        'paths look like item.task or route.domain',
      )
    const segment = match[0]
    if (FORBIDDEN_SEGMENTS.has(segment))
      throw expressionError(text, at, `"${segment}" is not allowed in a path`, 'paths read plain data fields only')
    segments.push(segment)
    at += segment.length
    if (text[at] !== '.') break
    at++
    pattern = NEXT_SEGMENT
  }
  const raw = text.slice(start, at)
  const keyword = segments.length === 1 ? KEYWORDS.get(raw) : undefined
  if (keyword !== undefined) return { kind: keyword, text: raw, offset: start }
  if (RESERVED_WORDS.has(segments[0]!))
    throw expressionError(text, start, `"${segments[0]}" is a keyword and cannot start a path`)
  return { kind: 'path', text: raw, offset: start, segments }
}
