import { resolve } from 'node:path'
import { DataflowError, type Logger, type SourceInstance } from '@dataflow/sdk'
import type { LoadedPipeline } from '@dataflow/core'

/** Creates the pipeline's source as the coordinator reads it: only to cut chunks (it never writes). */
export async function openSource(
  pipeline: LoadedPipeline,
  runDir: string,
  logger: Logger,
  signal: AbortSignal,
): Promise<SourceInstance> {
  return pipeline.source.definition.create(pipeline.source.config, {
    logger: logger.child({ source: pipeline.source.uses }),
    signal,
    resolvePath: (path: string) => resolve(pipeline.dir, path),
    resolveOutput: () => {
      throw new DataflowError('DATAFLOW_INTERNAL', 'the coordinator reads the source only; it writes no source output')
    },
    runDir,
    shard: undefined,
  })
}
