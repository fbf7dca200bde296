import { createHash } from 'node:crypto'

/** 32-bit FNV-1a of a string: a cheap seed derivation, not for content addressing. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Hex SHA-1 of a string or bytes; used to key prompt blocks and image bytes. */
export function sha1Hex(data: string | Uint8Array): string {
  return createHash('sha1').update(data).digest('hex')
}

/** Fields that change how an answer is delivered but not what it is. */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options'])

type Hash = ReturnType<typeof createHash>

/**
 * Feeds a JSON value to a hash in a canonical, unambiguous form: object keys sorted, every
 * string length-prefixed and written raw (no JSON escaping: large data URLs stay cheap).
 */
function hashValue(hash: Hash, value: unknown): void {
  if (typeof value === 'string') {
    hash.update(`s${value.length}:`).update(value)
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length}[`)
    for (const item of value) hashValue(hash, item)
    hash.update(']')
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
    hash.update(`o${keys.length}{`)
    for (const key of keys) {
      hash.update(`s${key.length}:`).update(key)
      hashValue(hash, record[key])
    }
    hash.update('}')
  } else {
    hash.update(`${JSON.stringify(value) ?? 'null'};`)
  }
}

/**
 * The request-content hash: SHA-256 (first 16 hex digits) of the canonical form of the request
 * body without `stream` and `stream_options`, i.e. model + messages + every other parameter
 * (key order does not matter). Two requests with this hash equal get the same answer;
 * `/sim/stats` counts 200 answers per hash.
 */
export function requestContentHash(body: Record<string, unknown>): string {
  const hash = createHash('sha256')
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) if (!DELIVERY_FIELDS.has(key)) kept[key] = value
  hashValue(hash, kept)
  return hash.digest('hex').slice(0, 16)
}
