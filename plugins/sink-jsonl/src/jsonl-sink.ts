import type { SinkContext, SinkInstance } from '@dataflow/sdk'
import type { JsonlSinkConfig } from './config.js'
import { createFileWriter } from '@dataflow/sdk'

/** Writes each record as one JSON line; checkpoints are byte offsets, so a resumed run continues the file exactly. */
export async function createJsonlSink(config: JsonlSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const resumeAt = context.resumeFrom?.['bytes']
  const writer = await createFileWriter(context.resolveOutput(config.path), {
    append: config.append ?? false,
    ...(typeof resumeAt === 'number' ? { resumeAt } : {}),
  })
  context.logger.debug(
    { path: writer.path, append: config.append ?? false, ...(typeof resumeAt === 'number' ? { resumeAt } : {}) },
    'jsonl sink opened',
  )
  return {
    write: (record) => writer.write(`${JSON.stringify(record)}\n`),
    flush: () => writer.flush(),
    async checkpoint() {
      const bytes = writer.bytes
      await writer.flush()
      return { bytes }
    },
    close: () => writer.close(),
  }
}
