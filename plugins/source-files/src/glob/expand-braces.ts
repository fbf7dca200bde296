/**
 * Expands `{a,b}` alternatives (nested, any number) into plain patterns, like a shell:
 * `img.{jpg,png}` -> `img.jpg`, `img.png`. A group without a top-level comma (`{a}`) and an
 * escaped brace (`\{`) stay literal.
 */
export function expandBraces(pattern: string): string[] {
  const group = findGroup(pattern)
  if (!group) return [pattern]
  const before = pattern.slice(0, group.open)
  const after = pattern.slice(group.close + 1)
  const results: string[] = []
  for (const alternative of group.alternatives) {
    for (const expanded of expandBraces(before + alternative + after)) results.push(expanded)
  }
  return results
}

interface BraceGroup {
  open: number
  close: number
  alternatives: string[]
}

/** The first brace group that has a top-level comma, or undefined. */
function findGroup(pattern: string): BraceGroup | undefined {
  for (let open = 0; open < pattern.length; open++) {
    const char = pattern[open]
    if (char === '\\') {
      open++
      continue
    }
    if (char === '[') {
      open = skipClass(pattern, open)
      continue
    }
    if (char !== '{') continue
    const group = readGroup(pattern, open)
    if (group) return group
  }
  return undefined
}

function readGroup(pattern: string, open: number): BraceGroup | undefined {
  let depth = 0
  let start = open + 1
  const alternatives: string[] = []
  for (let i = open + 1; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') i++
    else if (char === '[') i = skipClass(pattern, i)
    else if (char === '{') depth++
    else if (char === '}' && depth > 0) depth--
    else if (char === ',' && depth === 0) {
      alternatives.push(pattern.slice(start, i))
      start = i + 1
    } else if (char === '}') {
      if (alternatives.length === 0) return undefined
      alternatives.push(pattern.slice(start, i))
      return { open, close: i, alternatives }
    }
  }
  return undefined
}

/** Index of the `]` closing a character class opened at `open`, or `open` when it is not a class. */
export function skipClass(pattern: string, open: number): number {
  let i = open + 1
  if (pattern[i] === '!' || pattern[i] === '^') i++
  if (pattern[i] === ']') i++
  for (; i < pattern.length; i++) {
    const char = pattern[i]
    if (char === '\\') i++
    else if (char === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2)
      if (end !== -1) i = end + 1
    } else if (char === ']') return i
    else if (char === '/') return open
  }
  return open
}
