import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'

/** An append-only JSON-lines file with backpressure; the engine's own files (errors.jsonl). */
export class JsonlFile {
  private readonly stream: WriteStream
  private count = 0

  constructor(readonly path: string, options: { append?: boolean } = {}) {
    this.stream = createWriteStream(path, { flags: options.append ? 'a' : 'w' })
  }

  get written(): number {
    return this.count
  }

  async write(record: unknown): Promise<void> {
    this.count++
    if (!this.stream.write(`${JSON.stringify(record)}\n`)) await once(this.stream, 'drain')
  }

  async close(): Promise<void> {
    if (this.stream.closed) return
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
}
