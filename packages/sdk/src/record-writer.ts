import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { DataflowError } from './errors.js'
import { createFileWriter, type FileWriter } from './file-writer.js'
import type { SinkCheckpoint } from './node-definition.js'

export interface RecordWriterOptions {
  /** The output file; with `rotateEvery`, the files are `<stem>-00000<ext>`, `<stem>-00001<ext>`, ... beside it. */
  path: string
  /** Records per file; absent: one file, `path`. */
  rotateEvery?: number | undefined
  /** Add to an existing file instead of replacing it (one file only: not with `rotateEvery`). */
  append?: boolean | undefined
  /** The sink's last checkpoint (from {@link RecordWriter.checkpoint}): cut back to it and go on. */
  resumeFrom?: SinkCheckpoint | undefined
  /** Written at the start of every file (`[` for a JSON array). */
  head?: string | undefined
  /** Written when a file is finished, rotated or closed (`\n]\n` for a JSON array); gets its record count. */
  tail?: ((records: number) => string) | undefined
}

/**
 * Writes records as text into one file or, with `rotateEvery`, a numbered series of files. A
 * checkpoint names the file, its length and record count; resumed from one, the writer cuts that
 * file back to it, deletes later files of the series (written after the checkpoint) and goes on,
 * so every record is in the output exactly once. Without a checkpoint, an earlier series at the
 * same path is deleted first (the sink is written from the start).
 */
export interface RecordWriter {
  /** Writes one record; a function gets the record's position in its file (0: first), e.g. to put separators. */
  write(text: string | ((position: number) => string)): Promise<void>
  /** Makes every record written so far durable and returns the position a resume starts from. */
  checkpoint(): Promise<SinkCheckpoint>
  /** Makes every record written so far durable. */
  flush(): Promise<void>
  /** Finishes the current file (its tail) and closes it; later calls do nothing. */
  close(): Promise<void>
  /** The files of the output so far, earlier sessions' included, in order. */
  files(): string[]
  /** Records in the output, earlier sessions' included. */
  readonly records: number
}

/** `captions.jsonl` -> `captions-00003.jsonl`: the name of file `index` of a rotated output. */
export function toShardPath(path: string, index: number): string {
  const extension = extname(path)
  const stem = basename(path, extension)
  return join(dirname(path), `${stem}-${String(index).padStart(5, '0')}${extension}`)
}

export async function createRecordWriter(options: RecordWriterOptions): Promise<RecordWriter> {
  const { rotateEvery, resumeFrom } = options
  if (rotateEvery !== undefined && (!Number.isInteger(rotateEvery) || rotateEvery < 1))
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `rotateEvery must be a whole number of records, 1 or more`)
  if (rotateEvery !== undefined && options.append)
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', 'append cannot be combined with rotateEvery', {
      hint: 'a rotated output is a series of files that a run writes from the start or resumes; drop one of the two',
    })
  const nameOf = (index: number) => (rotateEvery === undefined ? options.path : toShardPath(options.path, index))
  const resumed = readCheckpoint(resumeFrom)
  let index = resumed?.file ?? 0
  let inFile = resumed?.records ?? 0
  let total = resumed?.total ?? 0
  if (rotateEvery !== undefined) await removeSeries(options.path, resumed ? index + 1 : 0)
  let writer: FileWriter = await createFileWriter(
    nameOf(index),
    resumed ? { resumeAt: resumed.bytes } : { append: options.append ?? false },
  )
  if (!resumed && options.head !== undefined && writer.bytes === 0) await writer.write(options.head)
  let closed = false

  const finishFile = async () => {
    if (options.tail) await writer.write(options.tail(inFile))
    await writer.close()
  }

  return {
    async write(text) {
      if (rotateEvery !== undefined && inFile >= rotateEvery) {
        await finishFile()
        index++
        inFile = 0
        writer = await createFileWriter(nameOf(index))
        if (options.head !== undefined) await writer.write(options.head)
      }
      const position = inFile
      inFile++
      total++
      await writer.write(typeof text === 'string' ? text : text(position))
    },
    async checkpoint() {
      const position = { file: index, bytes: writer.bytes, records: inFile, total }
      await writer.flush()
      return position
    },
    flush: () => writer.flush(),
    async close() {
      if (closed) return
      closed = true
      await finishFile()
    },
    files: () => Array.from({ length: index + 1 }, (_, file) => nameOf(file)),
    get records() {
      return total
    },
  }
}

function readCheckpoint(
  checkpoint: SinkCheckpoint | undefined,
): { file: number; bytes: number; records: number; total: number } | undefined {
  if (checkpoint === undefined) return undefined
  const { file, bytes, records, total } = checkpoint
  const count = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0
  if (!count(bytes) || !count(records) || !count(total) || (file !== undefined && !count(file))) {
    throw new DataflowError(
      'DATAFLOW_RESUME_MISMATCH',
      `the sink's checkpoint ${JSON.stringify(checkpoint)} is not one this writer made`,
      { hint: 'resume with the dataflow version that started the run, or start a new run directory' },
    )
  }
  return {
    file: (file as number | undefined) ?? 0,
    bytes: bytes as number,
    records: records as number,
    total: total as number,
  }
}

/** Deletes the files of a rotated output from number `from` on (up to the first one missing). */
async function removeSeries(path: string, from: number): Promise<void> {
  for (let index = from; existsSync(toShardPath(path, index)); index++) await rm(toShardPath(path, index))
}
