import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename, extname, resolve } from 'node:path'
import {
  DataflowError,
  expandFilePatterns,
  toMediaLocator,
  type SourceContext,
  type SourceInstance,
  type SourcePosition,
  type SourceRecord,
} from '@dataflow/sdk'
import type { ParquetSourceConfig } from './config.js'
import { openParquetFile, readParquetRows, type OpenedParquetFile } from './read-parquet-file.js'
import { toJsonValue } from './to-json-value.js'

/**
 * Lists the Parquet files (every n-th one under `--shard i/n`) and reads them in order, one row
 * per pull. The image stays in the file: the item gets a cell locator (file, row group, row,
 * column) or, with `imagePath`, a file path. Records carry `{ file, row }` positions.
 */
export async function createParquetSource(
  config: ParquetSourceConfig,
  context: SourceContext,
): Promise<SourceInstance> {
  const listed = await expandFilePatterns(config.files, {
    resolvePath: (path) => context.resolvePath(path),
    what: 'Parquet files',
    field: 'files',
  })
  const shard = context.shard
  const files = shard ? listed.filter((_, index) => index % shard.count === shard.index) : listed
  const root = context.resolvePath(config.root ?? '.')
  const imageColumn = config.image
  let counted: Promise<number | undefined> | undefined

  const toRecords = async function* (index: number, fromRow: number): AsyncGenerator<SourceRecord> {
    const path = files[index]!
    const stem = basename(path, extname(path))
    const fileError = (message: string, cause?: unknown): SourceRecord => ({
      id: basename(path),
      error: new DataflowError('DATAFLOW_INPUT_INVALID', `${path}: ${message}`, {
        hint: 'Check the file (and the `image`, `imagePath`, `idColumn` settings); the other files go on.',
        details: { file: path },
        ...(cause === undefined ? {} : { cause }),
      }),
      position: { file: index + 1, row: 0 },
    })
    let opened: OpenedParquetFile
    try {
      opened = await openParquetFile(path)
    } catch (error) {
      yield fileError(`not a readable Parquet file (${(error as Error).message})`, error)
      return
    }
    const media = toMediaColumn(opened, config.imagePath, imageColumn)
    if (typeof media === 'string') {
      yield fileError(media)
      return
    }
    if (config.idColumn !== undefined && !opened.columns.has(config.idColumn)) {
      yield fileError(
        `has no column "${config.idColumn}" (idColumn); its columns: ${[...opened.columns.keys()].join(', ')}`,
      )
      return
    }
    const exclude = new Set(config.imagePath === undefined ? [imageColumn] : [])
    for await (const event of readParquetRows(opened, { fromRow, exclude })) {
      if (context.signal.aborted) return
      const position = { file: index, row: event.row + 1 }
      const fallbackId = `${stem}/${event.row}`
      if (event.error !== undefined) {
        yield {
          id: fallbackId,
          error: new DataflowError('DATAFLOW_INPUT_INVALID', `${path} row ${event.row}: ${event.error}`, {
            details: { file: path, row: event.row },
          }),
          position,
        }
        continue
      }
      const data: Record<string, unknown> = {}
      for (const [name, value] of Object.entries(event.values)) {
        const converted = toJsonValue(value)
        if (converted !== undefined) data[name] = converted
      }
      let id = fallbackId
      if (config.idColumn !== undefined) {
        const raw = data[config.idColumn]
        if (!(typeof raw === 'string' && raw !== '') && !(typeof raw === 'number' && Number.isFinite(raw))) {
          yield {
            id: fallbackId,
            error: new DataflowError(
              'DATAFLOW_INPUT_INVALID',
              `${path} row ${event.row}: the id column "${config.idColumn}" must hold a non-empty string or a number, found ${JSON.stringify(raw)}`,
              { details: { file: path, row: event.row } },
            ),
            position,
          }
          continue
        }
        id = String(raw)
      }
      if (media.kind === 'path') {
        const value = data[media.column]
        if (typeof value !== 'string' || value === '') {
          yield {
            id,
            error: new DataflowError(
              'DATAFLOW_INPUT_INVALID',
              `${path} row ${event.row}: no image path in column "${media.column}"`,
              {
                details: { file: path, row: event.row },
              },
            ),
            position,
          }
          continue
        }
        data['media'] = resolve(root, value)
      } else {
        data['media'] = toMediaLocator({
          kind: 'parquet-cell',
          path,
          column: media.column,
          rowGroup: event.rowGroup,
          row: event.rowInGroup,
        })
      }
      data['modality'] = 'image'
      yield { id, data, position }
    }
  }

  return {
    count: () =>
      (counted ??= (async () => {
        let total = 0
        for (const path of files) total += (await openParquetFile(path).catch(() => undefined))?.rows ?? 0
        return total
      })()),
    async fingerprint() {
      const hash = createHash('sha256')
      for (const path of files) {
        const info = await stat(path).catch(() => undefined)
        hash.update(`${path}\0${info?.size ?? -1}\0${Math.trunc(info?.mtimeMs ?? 0)}\n`)
      }
      return `parquet:${files.length} files:${hash.digest('hex').slice(0, 16)}`
    },
    async *read(after?: SourcePosition): AsyncGenerator<SourceRecord> {
      const start = toStart(after, files.length)
      for (let index = start.file; index < files.length; index++) {
        for await (const record of toRecords(index, index === start.file ? start.row : 0))
          yield { ...record, shard: index }
      }
    },
  }
}

/** Where the image is: a column of bytes (cell locators) or of paths; a string says why neither fits. */
function toMediaColumn(
  opened: OpenedParquetFile,
  imagePath: string | undefined,
  image: string,
): { kind: 'cell' | 'path'; column: string } | string {
  const names = [...opened.columns.keys()].join(', ')
  if (imagePath !== undefined) {
    return opened.columns.has(imagePath)
      ? { kind: 'path', column: imagePath }
      : `has no column "${imagePath}" (imagePath); its columns: ${names}`
  }
  const column = opened.columns.get(image)
  if (!column)
    return `has no image column "${image}"; its columns: ${names} (set \`image\`, or \`imagePath\` for a column of file paths)`
  if (column.type === 'BYTE_ARRAY') return { kind: 'cell', column: image }
  if (column.type === 'group' && column.children.includes('bytes')) return { kind: 'cell', column: `${image}.bytes` }
  return `column "${image}" holds neither image bytes nor a { bytes, path } struct (type ${column.type})`
}

function toStart(after: SourcePosition | undefined, count: number): { file: number; row: number } {
  if (after === undefined) return { file: 0, row: 0 }
  const { file, row } = after
  if (
    typeof file === 'number' &&
    typeof row === 'number' &&
    Number.isInteger(file) &&
    Number.isInteger(row) &&
    file >= 0 &&
    file <= count &&
    row >= 0
  )
    return { file, row }
  throw new DataflowError(
    'DATAFLOW_RESUME_MISMATCH',
    `the run journal's source position ${JSON.stringify(after)} does not fit these ${count} files`,
    {
      hint: 'resume with the same files, or start a new run directory',
    },
  )
}
