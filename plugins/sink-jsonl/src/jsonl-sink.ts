import type { IoContext, SinkInstance } from '@dataflow/sdk'
import type { JsonlSinkConfig } from './config.js'
import { createFileWriter } from './file-writer.js'

/** Writes each record as one JSON line. */
export async function createJsonlSink(config: JsonlSinkConfig, context: IoContext): Promise<SinkInstance> {
  const writer = await createFileWriter(context.resolveOutput(config.path), { append: config.append ?? false })
  context.logger.debug({ path: writer.path, append: config.append ?? false }, 'jsonl sink opened')
  return {
    write: (record) => writer.write(`${JSON.stringify(record)}\n`),
    flush: () => writer.flush(),
    close: () => writer.close(),
  }
}
