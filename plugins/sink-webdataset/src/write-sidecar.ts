import { createReadStream } from 'node:fs'
import { open, rename } from 'node:fs/promises'
import { parquetWriteBuffer } from 'hyparquet-writer'
import tarStream from 'tar-stream'
import { toColumn, widenKind, type ColumnKind } from './parquet-columns.js'

/** The `{key}.json` members of a finished shard, as sidecar rows `{ key, ...json }`. */
async function* readJsonRows(tarPath: string): AsyncGenerator<Record<string, unknown>> {
  const extract = tarStream.extract()
  createReadStream(tarPath).pipe(extract)
  for await (const entry of extract) {
    const name = entry.header.name
    if (!name.endsWith('.json')) {
      entry.resume()
      continue
    }
    const chunks: Buffer[] = []
    for await (const chunk of entry) chunks.push(chunk)
    const key = name.slice(0, name.length - '.json'.length)
    yield { key, ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) }
  }
}

/**
 * Writes the Parquet sidecar of a finished shard (img2dataset's `<shard>.parquet`): one row per
 * sample, its key and the top-level fields of its JSON member (nested values as JSON text).
 * Reads the shard back rather than keeping rows in memory; written to a temporary name and renamed.
 */
export async function writeSidecar(tarPath: string, parquetPath: string): Promise<void> {
  const kinds = new Map<string, ColumnKind | undefined>([['key', 'STRING']])
  const rows: Array<Record<string, unknown>> = []
  for await (const row of readJsonRows(tarPath)) {
    for (const [name, value] of Object.entries(row)) kinds.set(name, widenKind(kinds.get(name), value))
    rows.push(row)
  }
  const columnData = [...kinds.keys()].map((name) =>
    toColumn(
      name,
      kinds.get(name),
      rows.map((row) => row[name]),
    ),
  )
  const bytes = new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 100_000 }))
  const temporary = `${parquetPath}.tmp`
  const handle = await open(temporary, 'w')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temporary, parquetPath)
}
