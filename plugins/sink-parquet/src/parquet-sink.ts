import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import {
  createFileWriter,
  DataflowError,
  toMediaLocation,
  type FileWriter,
  type SinkCheckpoint,
  type SinkContext,
  type SinkInstance,
} from '@dataflow/sdk'
import type { ParquetSinkConfig } from './config.js'
import { readSpool } from './read-spool.js'
import { toRotatedPath } from './to-rotated-path.js'
import { writeParquetFile } from './write-parquet-file.js'

/** Where a resumed sink continues: the file being filled, its spool's length and rows. */
interface Position {
  file: number
  bytes: number
  rows: number
}

/**
 * Writes records as Parquet files. The rows of the file being filled go to a JSONL spool next to
 * it (`<file>.partial.jsonl`), so that checkpoints are byte offsets as for the JSONL sink; when the
 * file is full (`rotateEvery`) or the run ends, the spool becomes the Parquet file in row groups
 * (written to a temporary name and renamed: a Parquet file that exists is complete and is never
 * written again).
 */
export async function createParquetSink(config: ParquetSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const target = context.resolveOutput(config.path)
  const rotating = config.rotateEvery !== undefined
  const groupRows = config.rowGroupSize ?? (config.imageBytes ? 100 : 1000)
  const mediaField = config.media
  const fileOf = (index: number) => toRotatedPath(target, index, rotating)
  const spoolOf = (index: number) => `${fileOf(index)}.partial.jsonl`
  const start = toPosition(context.resumeFrom)
  await removeStale(target, rotating, start.file)

  const readMedia = context.media?.readMedia?.bind(context.media)
  if (config.imageBytes && !readMedia) {
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      'imageBytes needs media tools that can read media bytes (readMedia)',
      {
        hint: 'Run the sink with the dataflow engine of this version, or set imageBytes: false.',
      },
    )
  }
  const image = config.imageBytes
    ? async (row: Record<string, unknown>) => {
        const locator = row[mediaField]
        if (typeof locator !== 'string' || locator === '') return null
        const location = toMediaLocation(locator)
        const name = location.kind === 'tar-member' ? location.member : basename(location.path)
        return {
          bytes: await readMedia!(locator),
          path: location.kind === 'parquet-cell' ? `${name}#${location.rowGroup}:${location.row}` : name,
        }
      }
    : undefined

  let index = start.file
  let rows = start.rows
  let spool: FileWriter = await createFileWriter(spoolOf(index), start.bytes > 0 ? { resumeAt: start.bytes } : {})
  /** Files finished since the previous checkpoint: their spools go once a checkpoint past them was recorded. */
  let finishedSpools: string[] = []
  let committedSpools: string[] = []

  const finishFile = async () => {
    await spool.close()
    if (rows > 0) {
      await writeParquetFile(fileOf(index), () => readSpool(spoolOf(index), groupRows), {
        exclude: new Set(image ? [mediaField] : []),
        ...(image ? { image } : {}),
      })
    }
    finishedSpools.push(spoolOf(index))
  }

  return {
    async write(record) {
      await spool.write(`${JSON.stringify(record)}\n`)
      rows++
      if (rotating && rows >= config.rotateEvery!) {
        await finishFile()
        index++
        rows = 0
        spool = await createFileWriter(spoolOf(index))
      }
    },
    flush: () => spool.flush(),
    async checkpoint() {
      await spool.flush()
      // The previous checkpoint is committed by now (the engine records each before taking the next).
      for (const path of committedSpools) await rm(path, { force: true })
      committedSpools = finishedSpools
      finishedSpools = []
      return { file: index, bytes: spool.bytes, rows }
    },
    async close() {
      await finishFile()
      for (const path of [...committedSpools, ...finishedSpools]) await rm(path, { force: true })
      committedSpools = []
      finishedSpools = []
    },
  }
}

function toPosition(checkpoint: SinkCheckpoint | undefined): Position {
  if (checkpoint === undefined) return { file: 0, bytes: 0, rows: 0 }
  const { file, bytes, rows } = checkpoint
  if ([file, bytes, rows].every((value) => typeof value === 'number' && Number.isInteger(value) && value >= 0))
    return { file: file as number, bytes: bytes as number, rows: rows as number }
  throw new DataflowError(
    'DATAFLOW_RESUME_MISMATCH',
    `the Parquet sink's checkpoint ${JSON.stringify(checkpoint)} is not one it wrote`,
    {
      hint: 'start a new run directory',
    },
  )
}

/**
 * Before writing: Parquet files from `file` on were written after the checkpoint (they come again),
 * and so were spools past it; spools before it belong to finished files.
 */
async function removeStale(target: string, rotating: boolean, file: number): Promise<void> {
  const folder = dirname(target)
  const extension = extname(target)
  const stem = basename(target, extension)
  const names = await readdir(folder).catch(() => [] as string[])
  for (const name of names) {
    const match = rotating
      ? new RegExp(`^${escape(stem)}-(\\d{5})${escape(extension)}(\\.partial\\.jsonl|\\.tmp)?$`).exec(name)
      : new RegExp(`^${escape(stem)}${escape(extension)}(\\.partial\\.jsonl|\\.tmp)?$`).exec(name)
    if (!match) continue
    const index = rotating ? Number(match[1]) : 0
    const spool = (rotating ? match[2] : match[1]) === '.partial.jsonl'
    if (index > file || (index === file && !spool) || (index < file && spool) || name.endsWith('.tmp'))
      await rm(join(folder, name), { force: true })
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
