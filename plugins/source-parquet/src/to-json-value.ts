/**
 * A Parquet value as plain JSON for an item: INT64 as a number when exact (else a decimal string),
 * timestamps as ISO strings, structs and lists recursively. Binary values are dropped (undefined):
 * bytes do not belong in items.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (value instanceof Uint8Array) return undefined
  if (Array.isArray(value)) return value.map((entry) => toJsonValue(entry) ?? null)
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) {
      const converted = toJsonValue(entry)
      if (converted !== undefined) result[key] = converted
    }
    return result
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}
