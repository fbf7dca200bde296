import type { FileMetaData } from 'hyparquet'
import { createInflight } from './create-inflight.js'
import { createLruCache } from './lru-cache.js'
import { mediaInvalid, toFileError, type MediaKind } from './media-errors.js'

/** Bytes of the cells of one column of one row group, by row; null where a row has none. */
type ColumnCells = ReadonlyArray<Uint8Array | null>

export interface ParquetCellReader {
  /** The bytes in one cell; reads and decodes the cell's column of its row group once, then serves it from a bounded cache. */
  read(
    kind: MediaKind,
    label: string,
    file: FileRef,
    column: string,
    rowGroup: number,
    row: number,
  ): Promise<Uint8Array>
  clear(): void
}

/** A Parquet file and the identity of its current content (changes when the file is replaced). */
export interface FileRef {
  path: string
  key: string
}

const MAX_METADATA = 64

/**
 * Reads image bytes out of Parquet cells. Items of one row group arrive together, so the reader
 * decodes a row group's column once (hyparquet, which decompresses whole pages) and keeps the
 * decoded cells in an LRU bounded in bytes: memory stays within a few row groups of one column.
 */
export function createParquetCellReader(options: { cacheBytes: number }): ParquetCellReader {
  const metadata = createLruCache<string, FileMetaData>({ maxWeight: MAX_METADATA })
  const columns = createLruCache<string, ColumnCells>({
    maxWeight: options.cacheBytes,
    weigh: (cells) => cells.reduce((sum, cell) => sum + (cell?.byteLength ?? 0) + 16, 0),
  })
  const inflight = createInflight()
  // The latest column read stays even when it alone is heavier than the cache bound.
  let latest: { key: string; cells: ColumnCells } | undefined

  const readColumn = async (kind: MediaKind, label: string, file: FileRef, column: string, rowGroup: number) => {
    // Loaded on the first Parquet cell: runs without Parquet input never pay for it.
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet')
    // WASM snappy (half the CPU of hyparquet's own) and zstd, gzip, brotli, lz4 for files that use them.
    const { compressors } = await import('hyparquet-compressors')
    let buffer
    try {
      buffer = await asyncBufferFromFile(file.path)
    } catch (error) {
      throw toFileError(kind, file.path, error)
    }
    let meta = metadata.get(file.key)
    if (!meta) {
      try {
        meta = await parquetMetadataAsync(buffer)
      } catch (error) {
        throw mediaInvalid(kind, label, `the Parquet file cannot be read (${(error as Error).message})`, {}, error)
      }
      metadata.set(file.key, meta)
    }
    const groups = meta.row_groups
    if (rowGroup >= groups.length)
      throw mediaInvalid(kind, label, `the Parquet file has ${groups.length} row groups, not ${rowGroup + 1}`)
    let rowStart = 0
    for (let index = 0; index < rowGroup; index++) rowStart += Number(groups[index]!.num_rows)
    const rowEnd = rowStart + Number(groups[rowGroup]!.num_rows)
    const [top, ...rest] = column.split('.')
    let rows
    try {
      rows = await parquetReadObjects({
        file: buffer,
        metadata: meta,
        columns: [top!],
        rowStart,
        rowEnd,
        utf8: false,
        compressors,
      })
    } catch (error) {
      throw mediaInvalid(
        kind,
        label,
        `the Parquet column "${column}" cannot be decoded (${(error as Error).message})`,
        {},
        error,
      )
    }
    return rows.map((row) => {
      let value: unknown = row[top!]
      for (const part of rest)
        value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part]
      return value instanceof Uint8Array ? value : null
    })
  }

  return {
    async read(kind, label, file, column, rowGroup, row) {
      const key = `${file.key}\0${column}\0${rowGroup}`
      let cells = latest?.key === key ? latest.cells : columns.get(key)
      if (!cells) {
        cells = await inflight.run(key, () => readColumn(kind, label, file, column, rowGroup))
        columns.set(key, cells)
        latest = { key, cells }
      }
      if (row >= cells.length)
        throw mediaInvalid(kind, label, `row group ${rowGroup} has ${cells.length} rows, not ${row + 1}`)
      const cell = cells[row]
      if (!cell) throw mediaInvalid(kind, label, `the cell is empty (no bytes in column "${column}")`)
      return cell
    },
    clear() {
      metadata.clear()
      columns.clear()
      latest = undefined
    },
  }
}
