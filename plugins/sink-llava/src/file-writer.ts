import { once } from 'node:events'
import { createWriteStream, fsync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import { DataflowError } from '@dataflow/sdk'

const fsyncAsync = promisify(fsync)

export interface FileWriterOptions {
  append?: boolean
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
  const stream = createWriteStream(path, { flags: options.append ? 'a' : 'w', highWaterMark: options.highWaterMark ?? 64 * 1024 })
  let failure: Error | undefined
  stream.on('error', (error) => { failure ??= error })
  let fd: number
  try {
    ;[fd] = (await once(stream, 'open')) as [number]
  } catch (error) {
    throw unwritable(error)
  }
  let closed = false
  const check = () => {
    if (failure) throw failure
    if (closed) throw new DataflowError('DATAFLOW_INTERNAL', `write to ${path} after the sink was closed`)
  }
  const writer: FileWriter = {
    path,
    async write(text) {
      check()
      if (!stream.write(text)) await once(stream, 'drain')
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
  }
  return writer
}
