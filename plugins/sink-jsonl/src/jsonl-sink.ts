import { createRecordWriter, type SinkContext, type SinkInstance } from '@dataflow/sdk'
import type { JsonlSinkConfig } from './config.js'

/**
 * Writes each record as one JSON line, into one file or a rotated series. Checkpoints name the
 * file and its length, so a resumed run continues the output exactly.
 */
export async function createJsonlSink(config: JsonlSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const writer = await createRecordWriter({
    path: context.resolveOutput(config.path),
    rotateEvery: config.rotateEvery,
    append: config.append,
    resumeFrom: context.resumeFrom,
  })
  context.logger.debug(
    { path: config.path, rotateEvery: config.rotateEvery, resumed: context.resumeFrom !== undefined },
    'jsonl sink opened',
  )
  return {
    write: (record) => writer.write(`${JSON.stringify(record)}\n`),
    flush: () => writer.flush(),
    checkpoint: () => writer.checkpoint(),
    close: () => writer.close(),
    outputs: () => writer.files(),
  }
}
