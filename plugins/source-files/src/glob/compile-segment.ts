import { skipClass } from './expand-braces.js'

/** One `/`-separated part of a glob: `**`, or a test for one path segment. */
export type GlobSegment = { kind: 'globstar' } | { kind: 'segment'; test(name: string): boolean }

export interface SegmentOptions {
  /** Let wildcards match names starting with `.`. */
  dot: boolean
  ignoreCase: boolean
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}\\p{N}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: '\\s',
  punct: '\\p{P}',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g
const escapeRegExp = (text: string) => text.replace(REGEXP_SYNTAX, '\\$&')
const escapeInClass = (char: string) => (/[\\\]^[-]/.test(char) ? `\\${char}` : char)

/**
 * Compiles one segment: `*` (any run of characters), `?` (one character), `[a-z]`, `[!abc]`,
 * `[[:digit:]]`, `\x` (a literal x). Without `dot`, wildcards never match a leading `.`.
 */
export function compileSegment(segment: string, options: SegmentOptions): GlobSegment {
  if (segment === '**') return { kind: 'globstar' }
  let source = ''
  let hasWildcard = false
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (char === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i]!)
    } else if (char === '*') {
      hasWildcard = true
      while (segment[i + 1] === '*') i++
      source += '.*'
    } else if (char === '?') {
      hasWildcard = true
      source += '.'
    } else if (char === '[' && skipClass(segment, i) !== i) {
      const close = skipClass(segment, i)
      hasWildcard = true
      source += compileClass(segment.slice(i + 1, close))
      i = close
    } else {
      source += escapeRegExp(char)
    }
  }
  // Wildcards never match `.` or `..`, and without `dot` no name starting with `.`.
  const guard = hasWildcard ? (options.dot ? '(?!\\.\\.?$)' : '(?!\\.)') : ''
  let regexp: RegExp
  try {
    regexp = new RegExp(`^${guard}${source}$`, options.ignoreCase ? 'iu' : 'u')
  } catch (error) {
    throw new Error(`invalid glob part "${segment}": ${(error as Error).message}`)
  }
  return { kind: 'segment', test: (name) => regexp.test(name) }
}

/** The body of a bracket expression (between `[` and `]`) as a RegExp class. */
function compileClass(body: string): string {
  let i = 0
  let negate = false
  if (body[0] === '!' || body[0] === '^') {
    negate = true
    i = 1
  }
  let members = ''
  for (; i < body.length; i++) {
    const char = body[i]!
    if (char === '[' && body[i + 1] === ':') {
      const end = body.indexOf(':]', i + 2)
      const name = end === -1 ? undefined : POSIX_CLASSES[body.slice(i + 2, end)]
      if (name !== undefined) {
        members += name
        i = end + 1
        continue
      }
    }
    if (char === '\\' && i + 1 < body.length) {
      members += escapeInClass(body[++i]!)
    } else if (char === '-' && members !== '' && i + 1 < body.length) {
      members += '-'
    } else {
      members += escapeInClass(char)
    }
  }
  return negate ? `[^/${members}]` : `[${members}]`
}
