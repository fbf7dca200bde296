import { open, rename, rm } from 'node:fs/promises'
import {
  ByteWriter,
  ParquetWriter,
  schemaFromColumnData,
  type ColumnSource,
  type SchemaElement,
} from 'hyparquet-writer'
import { toColumn, widenKind, type ColumnKind } from './parquet-columns.js'

/** Rows read back from the spool, one row group at a time. */
export type RowGroups = () => AsyncIterable<Array<Record<string, unknown>>>

/** The HF `image` struct: `{ bytes, path }`, both optional. */
const IMAGE_SCHEMA: SchemaElement[] = [
  { name: 'image', repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
]

export interface WriteParquetOptions {
  /** Loads the image of a row ({ bytes, path }), for an `image` column; absent: no image column. */
  image?: (row: Record<string, unknown>) => Promise<{ bytes: Uint8Array; path: string } | null>
  /** Fields left out of the columns (the media field when its bytes are written). */
  exclude: ReadonlySet<string>
}

/**
 * Writes rows as a Parquet file (hyparquet-writer, snappy), one row group per group the source
 * gives: a first pass over the rows finds the columns and their types, the second writes. Written
 * to `<path>.tmp` and renamed, so a Parquet file that exists is complete.
 */
export async function writeParquetFile(path: string, groups: RowGroups, options: WriteParquetOptions): Promise<number> {
  const kinds = new Map<string, ColumnKind | undefined>()
  for await (const group of groups()) {
    for (const row of group) {
      for (const [name, value] of Object.entries(row)) {
        if (options.exclude.has(name)) continue
        kinds.set(name, widenKind(kinds.get(name), value))
      }
    }
  }
  const names = [...kinds.keys()]
  const temporary = `${path}.tmp`
  const handle = await open(temporary, 'w')
  // hyparquet-writer writes into a ByteWriter and calls its `flush` after each row group: the bytes
  // go to the file then, so memory holds one row group.
  const buffer = new ByteWriter()
  let position = 0
  const flush = async () => {
    const bytes = new Uint8Array(buffer.buffer, 0, buffer.index).slice()
    buffer.index = 0
    const at = position
    position += bytes.length
    await handle.write(bytes, 0, bytes.length, at)
  }
  Object.assign(buffer, { flush })
  let rows = 0
  try {
    const typed = schemaFromColumnData({ columnData: names.map((name) => toColumn(name, kinds.get(name), [null])) })
    const schema: SchemaElement[] = [
      { name: 'schema', num_children: names.length + (options.image ? 1 : 0) },
      ...(options.image ? IMAGE_SCHEMA : []),
      ...typed.slice(1),
    ]
    const writer = new ParquetWriter({ writer: buffer, schema })
    for await (const group of groups()) {
      const columns: ColumnSource[] = []
      if (options.image) {
        const images = []
        for (const row of group) images.push(await options.image(row))
        columns.push({ name: 'image', data: images })
      }
      for (const name of names)
        columns.push(
          toColumn(
            name,
            kinds.get(name),
            group.map((row) => row[name]),
          ),
        )
      await writer.write({ columnData: columns, rowGroupSize: Math.max(1, group.length) })
      rows += group.length
    }
    await writer.finish()
    await flush()
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temporary, { force: true })
    throw error
  }
  await handle.close()
  await rename(temporary, path)
  return rows
}
