import { createHash } from 'node:crypto'

/** A 64-bit fingerprint as two unsigned 32-bit halves; never (0, 0), which marks an empty slot. */
export interface Fingerprint {
  hi: number
  lo: number
}

/** JSON with object keys sorted, so that equal values give equal text whatever their key order. */
function canonical(value: unknown, normalize: boolean): string {
  if (typeof value === 'string') return JSON.stringify(normalize ? normalizeText(value) : value)
  if (Array.isArray(value)) return `[${value.map((entry) => canonical(entry, normalize)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], normalize)}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** Unicode NFKC, lower case, runs of white space as one space, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}

/** The fingerprint of the key values: sha256 of their canonical JSON, first 64 bits. */
export function fingerprintOf(values: readonly unknown[], normalize: boolean): Fingerprint {
  const digest = createHash('sha256').update(canonical(values, normalize)).digest()
  const hi = digest.readUInt32BE(0)
  const lo = digest.readUInt32BE(4)
  return hi === 0 && lo === 0 ? { hi: 0, lo: 1 } : { hi, lo }
}

/** A 32-bit hash of an item id: enough to tell the item that was admitted from its duplicates. */
export function idHashOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0)
}

export function toHex({ hi, lo }: Fingerprint): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')
}
