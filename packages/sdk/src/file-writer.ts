import { once } from 'node:events'
import { createWriteStream, fsync } from 'node:fs'
import { mkdir, stat, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { DataflowError } from './errors.js'

const fsyncAsync = promisify(fsync)

export interface FileWriterOptions {
  append?: boolean
  /**
   * Resume at this byte offset: the file is cut back to it and appended to (a run resumed from a
   * sink checkpoint). A file shorter than that was changed outside dataflow: DATAFLOW_RESUME_MISMATCH.
   */
  resumeAt?: number
  /** Bytes buffered in memory before `write` waits for the disk. Default 64 KiB. */
  highWaterMark?: number
}

/** Appends text to a file with backpressure: `write` resolves once the buffer is below its high-water mark. */
export interface FileWriter {
  readonly path: string
  write(text: string): Promise<void>
  /** Waits for every write to reach the file, then fsyncs it. */
  flush(): Promise<void>
  /** Flushes and closes; later calls do nothing. */
  close(): Promise<void>
  /** Bytes accepted but not yet handed to the file system. */
  readonly bufferedBytes: number
  /** Length of the file once every accepted write reached it (the offset a checkpoint records). */
  readonly bytes: number
}

/** Opens (creating folders) or fails with DATAFLOW_CONFIG_INVALID saying which path cannot be written. */
export async function createFileWriter(path: string, options: FileWriterOptions = {}): Promise<FileWriter> {
  const unwritable = (error: unknown) =>
    new DataflowError('DATAFLOW_CONFIG_INVALID', `cannot write to ${path}: ${(error as Error).message}`, {
      hint: 'Set the sink `path` to a file in a writable folder.',
      details: { path },
      cause: error,
    })
  try {
    await mkdir(dirname(path), { recursive: true })
  } catch (error) {
    throw unwritable(error)
  }
  let bytes = 0
  if (options.resumeAt !== undefined) {
    const size = await stat(path).then(
      (info) => info.size,
      () => -1,
    )
    if (size < options.resumeAt) {
      throw new DataflowError(
        'DATAFLOW_RESUME_MISMATCH',
        `${path} is shorter (${Math.max(size, 0)} bytes) than at the run's last checkpoint (${options.resumeAt} bytes): it was changed outside dataflow`,
        {
          hint: 'restore the file, or start a new run directory',
          details: { path },
        },
      )
    }
    await truncate(path, options.resumeAt)
    bytes = options.resumeAt
  } else if (options.append) {
    bytes = await stat(path).then(
      (info) => info.size,
      () => 0,
    )
  }
  const append = options.append === true || options.resumeAt !== undefined
  const stream = createWriteStream(path, {
    flags: append ? 'a' : 'w',
    highWaterMark: options.highWaterMark ?? 64 * 1024,
  })
  let failure: Error | undefined
  stream.on('error', (error) => {
    failure ??= error
  })
  let fd: number
  try {
    ;[fd] = (await once(stream, 'open')) as [number]
  } catch (error) {
    throw unwritable(error)
  }
  let closed = false
  const uncork = () => {
    while (stream.writableCorked > 0) stream.uncork()
  }
  const check = () => {
    if (failure) throw failure
    if (closed) throw new DataflowError('DATAFLOW_INTERNAL', `write to ${path} after the sink was closed`)
  }
  const writer: FileWriter = {
    path,
    async write(text) {
      check()
      bytes += Buffer.byteLength(text)
      // Records written in the same turn of the event loop leave in one writev instead of one write each.
      if (stream.writableCorked === 0) {
        stream.cork()
        setImmediate(uncork)
      }
      if (!stream.write(text)) {
        uncork()
        await once(stream, 'drain')
      }
    },
    async flush() {
      check()
      await new Promise<void>((resolve, reject) => stream.write('', (error) => (error ? reject(error) : resolve())))
      await fsyncAsync(fd)
    },
    async close() {
      if (closed) return
      await writer.flush()
      closed = true
      stream.end()
      await once(stream, 'close')
    },
    get bufferedBytes() {
      return stream.writableLength
    },
    get bytes() {
      return bytes
    },
  }
  return writer
}
