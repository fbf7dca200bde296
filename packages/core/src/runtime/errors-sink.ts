import { createFileWriter } from '@dataflow/sdk'
import { join } from 'node:path'
import type { SinkTarget } from './sink-dispatcher.js'

/** Id of the engine's errors.jsonl among the sinks. */
export const ERRORS_SINK = '#errors'

/**
 * errors.jsonl, the engine's own sink: one line per item that ended as an error (node, code,
 * message, attempts, the item). Checkpointed like any sink, so a resumed run continues it exactly.
 */
export async function openErrorsSink(
  runDir: string,
  resumeFrom: Record<string, unknown> | undefined,
  startOrd: number,
): Promise<SinkTarget> {
  const resumeAt = resumeFrom?.['bytes']
  const file = await createFileWriter(join(runDir, 'errors.jsonl'), typeof resumeAt === 'number' ? { resumeAt } : {})
  return {
    id: ERRORS_SINK,
    instance: {
      write: (record) => file.write(`${JSON.stringify(record)}\n`),
      async checkpoint() {
        const bytes = file.bytes
        await file.flush()
        return { bytes }
      },
      close: () => file.close(),
      outputs: () => [file.path],
    },
    startOrd,
    accepts: (scope) => scope['outcome'] === 'error',
    toRecord: (outcome) => ({
      id: outcome.id,
      node: outcome.error?.node,
      attempts: outcome.error?.attempts,
      error: outcome.error?.error,
      item: outcome.item,
    }),
  }
}
