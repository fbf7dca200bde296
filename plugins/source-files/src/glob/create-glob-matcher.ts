import { compileSegment, type GlobSegment, type SegmentOptions } from './compile-segment.js'
import { expandBraces } from './expand-braces.js'

/** Matches `/`-separated relative paths against one or more globs. */
export interface GlobMatcher {
  /** True when the path matches any of the globs. */
  matches(path: string): boolean
  /** False when no file below this folder can match: lets a walk skip the folder. */
  couldMatchInside(folder: string): boolean
}

export interface GlobOptions {
  /** Let wildcards and `**` match names starting with `.`. Default false. */
  dot?: boolean
  /** Compare ignoring case (`*.jpg` matches `A.JPG`). Default false. */
  ignoreCase?: boolean
}

/**
 * Compiles globs with `*`, `**` (any number of folders, as a whole segment), `?`, `{a,b}`
 * (nested), character classes (`[abc]`, `[a-z]`, `[!0-9]`, `[[:alpha:]]`) and `\` escapes.
 * Paths and patterns are compared in Unicode NFC, so decomposed file names match too.
 */
export function createGlobMatcher(globs: string | readonly string[], options: GlobOptions = {}): GlobMatcher {
  const segmentOptions: SegmentOptions = { dot: options.dot ?? false, ignoreCase: options.ignoreCase ?? false }
  const patterns = (typeof globs === 'string' ? [globs] : globs)
    .flatMap((glob) => expandBraces(normalizeGlob(glob)))
    .map((glob) => splitPath(glob).map((segment) => compileSegment(segment, segmentOptions)))
  const hidden = (name: string) => !segmentOptions.dot && name.startsWith('.')
  return {
    matches(path) {
      const names = splitPath(path.normalize('NFC'))
      return patterns.some((pattern) => matchAll(pattern, names, hidden))
    },
    couldMatchInside(folder) {
      const names = splitPath(folder.normalize('NFC'))
      return patterns.some((pattern) => matchPrefix(pattern, names, hidden))
    },
  }
}

function normalizeGlob(glob: string): string {
  let text = glob.normalize('NFC')
  while (text.startsWith('./')) text = text.slice(2)
  return text.replace(/^\/+/, '').replace(/\/+$/, '')
}

const splitPath = (path: string) => path.split('/').filter((name) => name !== '' && name !== '.')

/** Whether the whole path matches; `**` takes zero or more names (never hidden ones unless `dot`). */
function matchAll(
  pattern: readonly GlobSegment[],
  names: readonly string[],
  hidden: (name: string) => boolean,
): boolean {
  // reachable[j]: the pattern so far can consume exactly names[0..j).
  let reachable = new Array<boolean>(names.length + 1).fill(false)
  reachable[0] = true
  for (const segment of pattern) {
    const next = new Array<boolean>(names.length + 1).fill(false)
    for (let j = 0; j <= names.length; j++) {
      if (segment.kind === 'globstar') {
        next[j] = reachable[j]! || (j > 0 && next[j - 1]! && !hidden(names[j - 1]!))
      } else if (j > 0) {
        next[j] = reachable[j - 1]! && segment.test(names[j - 1]!)
      }
    }
    reachable = next
  }
  return reachable[names.length]!
}

/** Whether some path strictly below `folder` could match. */
function matchPrefix(
  pattern: readonly GlobSegment[],
  folder: readonly string[],
  hidden: (name: string) => boolean,
): boolean {
  const failed = new Set<number>()
  const visit = (p: number, f: number): boolean => {
    if (f === folder.length) return p < pattern.length
    if (p === pattern.length || failed.has(p * (folder.length + 1) + f)) return false
    const segment = pattern[p]!
    const result =
      segment.kind === 'globstar'
        ? visit(p + 1, f) || (!hidden(folder[f]!) && visit(p, f + 1))
        : segment.test(folder[f]!) && visit(p + 1, f + 1)
    if (!result) failed.add(p * (folder.length + 1) + f)
    return result
  }
  return visit(0, 0)
}
