const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

/** Splits `a.b.c` into segments; throws on empty or prototype-touching segments. */
export function parsePath(path: string): string[] {
  const segments = path.split('.')
  for (const segment of segments) {
    if (segment === '') throw new Error(`"${path}" is not a valid path: empty segment`)
    if (FORBIDDEN.has(segment)) throw new Error(`"${path}" is not a valid path: "${segment}" is not allowed`)
  }
  return segments
}

/** Reads own properties only (arrays by index); undefined when any step is missing. */
export function readPath(root: unknown, segments: readonly string[]): unknown {
  let value: unknown = root
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined
    if (!Object.hasOwn(value, segment)) return undefined
    value = (value as Record<string, unknown>)[segment]
  }
  return value
}
