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

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}

/** Fields that change how an answer is delivered but not what it is. */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options'])

/**
 * The request-content hash: SHA-256 (first 16 hex digits) of the canonical JSON of the request
 * body without `stream` and `stream_options`, i.e. model + messages + every other parameter.
 * Two requests with this hash equal get the same answer; `/sim/stats` counts 200 answers per hash.
 */
export function requestContentHash(body: Record<string, unknown>): string {
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(body)) if (!DELIVERY_FIELDS.has(key)) kept[key] = value
  return createHash('sha256').update(canonicalJson(kept)).digest('hex').slice(0, 16)
}
