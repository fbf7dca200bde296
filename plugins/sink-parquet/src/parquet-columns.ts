import type { ColumnSource } from 'hyparquet-writer'

type ColumnKind = 'STRING' | 'DOUBLE' | 'INT64' | 'BOOLEAN' | 'JSON'

/** The Parquet type that holds every value seen for a column (nulls fit any); mixed values become JSON text. */
export function widenKind(kind: ColumnKind | undefined, value: unknown): ColumnKind | undefined {
  if (value === null || value === undefined) return kind
  const own: ColumnKind =
    typeof value === 'string'
      ? 'STRING'
      : typeof value === 'boolean'
        ? 'BOOLEAN'
        : typeof value === 'number'
          ? Number.isSafeInteger(value)
            ? 'INT64'
            : 'DOUBLE'
          : 'JSON'
  if (kind === undefined || kind === own) return own
  if ((kind === 'INT64' && own === 'DOUBLE') || (kind === 'DOUBLE' && own === 'INT64')) return 'DOUBLE'
  return 'JSON'
}

/** One column of a row group, its values converted to the column's type. */
export function toColumn(name: string, kind: ColumnKind | undefined, values: readonly unknown[]): ColumnSource {
  const type = kind ?? 'STRING'
  const data = values.map((value) => {
    if (value === null || value === undefined) return null
    if (type === 'JSON') return value // hyparquet-writer writes JSON columns as JSON text itself
    if (type === 'INT64') return BigInt(value as number)
    if (type === 'DOUBLE') return Number(value)
    return value
  })
  return { name, data, type: type === 'JSON' ? 'JSON' : type, nullable: true }
}

export type { ColumnKind }
