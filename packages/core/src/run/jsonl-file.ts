import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { fsync } from 'node:fs'
import { open, stat, truncate } from 'node:fs/promises'
import { promisify } from 'node:util'
import { DataflowError } from '@dataflow/sdk'

const fsyncAsync = promisify(fsync)

/**
 * An append-only JSON-lines file with backpressure and checkpoints; the engine's own files
 * (errors.jsonl). `checkpoint()` makes what was written durable and returns the byte length;
 * opened with that value again, the file is cut back to it and appended to.
 */
export class JsonlFile {
  private count = 0

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly fd: number,
    private bytes: number,
  ) {}

  static async open(path: string, resumeFrom?: { bytes?: unknown }): Promise<JsonlFile> {
    let bytes = 0
    if (resumeFrom && typeof resumeFrom.bytes === 'number') {
      bytes = resumeFrom.bytes
      const size = await stat(path).then((info) => info.size, () => -1)
      if (size < bytes) {
        throw new DataflowError('DATAFLOW_RESUME_MISMATCH', `${path} is shorter (${Math.max(size, 0)} bytes) than at the run's last checkpoint (${bytes} bytes): it was changed outside dataflow`, {
          hint: 'restore the file, or start a new run directory',
        })
      }
      await truncate(path, bytes)
    } else {
      await (await open(path, 'w')).close()
    }
    const stream = createWriteStream(path, { flags: 'a' })
    const [fd] = (await once(stream, 'open')) as [number]
    return new JsonlFile(path, stream, fd, bytes)
  }

  get written(): number {
    return this.count
  }

  async write(record: unknown): Promise<void> {
    this.count++
    const line = `${JSON.stringify(record)}\n`
    this.bytes += Buffer.byteLength(line)
    if (!this.stream.write(line)) await once(this.stream, 'drain')
  }

  /** Waits until every line is in the file, fsyncs it and returns its length. */
  async checkpoint(): Promise<{ bytes: number }> {
    const bytes = this.bytes
    await new Promise<void>((resolve, reject) => this.stream.write('', (error) => (error ? reject(error) : resolve())))
    await fsyncAsync(this.fd)
    return { bytes }
  }

  async close(): Promise<void> {
    if (this.stream.closed) return
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
}
