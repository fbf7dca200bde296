import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type FileMetaData,
} from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

/** A Parquet file opened for reading: its footer parsed, its top-level columns known. */
export interface OpenedParquetFile {
  path: string
  metadata: FileMetaData
  rows: number
  /** Top-level columns with their physical type (`group` for structs and lists). */
  columns: Map<string, { type: string; children: string[] }>
  /** First row of each row group (a cell locator names the row group and the row inside it). */
  groupStarts: number[]
}

/** One row, or rows of a row group that could not be decoded. */
export type ParquetRowEvent =
  | { row: number; rowGroup: number; rowInGroup: number; values: Record<string, unknown>; error?: never }
  | { row: number; rowGroup: number; rowInGroup: number; error: string; values?: never }

/** Opens a Parquet file: reads its footer only. Throws with hyparquet's message when it is not Parquet. */
export async function openParquetFile(path: string): Promise<OpenedParquetFile> {
  const file = await asyncBufferFromFile(path)
  const metadata = await parquetMetadataAsync(file)
  const columns = new Map<string, { type: string; children: string[] }>()
  for (const child of parquetSchema(metadata).children) {
    columns.set(child.element.name, {
      type: child.element.type ?? 'group',
      children: child.children.map((grandchild) => grandchild.element.name),
    })
  }
  const groupStarts: number[] = []
  let rows = 0
  for (const group of metadata.row_groups) {
    groupStarts.push(rows)
    rows += Number(group.num_rows)
  }
  return { path, metadata, rows, columns, groupStarts }
}

/**
 * Reads the rows of one Parquet file from `fromRow` on, one row group at a time (memory: one row
 * group of the selected columns), without the columns in `exclude`. Self-contained: a runner can
 * hand one file to each worker. A row group that cannot be decoded gives one error per row.
 */
export async function* readParquetRows(
  opened: OpenedParquetFile,
  options: { fromRow?: number; exclude: ReadonlySet<string> },
): AsyncGenerator<ParquetRowEvent> {
  const file = await asyncBufferFromFile(opened.path)
  const columns = [...opened.columns.keys()].filter((name) => !options.exclude.has(name))
  const fromRow = options.fromRow ?? 0
  for (const [rowGroup, group] of opened.metadata.row_groups.entries()) {
    const groupStart = opened.groupStarts[rowGroup]!
    const groupEnd = groupStart + Number(group.num_rows)
    if (groupEnd <= fromRow) continue
    const rowStart = Math.max(groupStart, fromRow)
    let rows: Array<Record<string, unknown>> | undefined
    let failure: string | undefined
    if (columns.length === 0) {
      rows = Array.from({ length: groupEnd - rowStart }, () => ({}))
    } else {
      try {
        rows = await parquetReadObjects({
          file,
          metadata: opened.metadata,
          columns,
          rowStart,
          rowEnd: groupEnd,
          compressors,
        })
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error)
      }
    }
    for (let row = rowStart; row < groupEnd; row++) {
      const place = { row, rowGroup, rowInGroup: row - groupStart }
      if (rows?.[row - rowStart]) yield { ...place, values: rows[row - rowStart]! }
      else yield { ...place, error: `row group ${rowGroup} cannot be decoded (${failure ?? 'row missing'})` }
    }
  }
}
