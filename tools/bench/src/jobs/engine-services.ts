import { pino } from 'pino'
import type { RunServices } from '@dataflow/core'
import type { ModelConfig } from '@dataflow/inference'
import { createInferenceService } from '@dataflow/inference'
import { createMediaTools } from '@dataflow/media'

/** The services runPipeline would build, with a silent logger: for runs driven through executePipeline. */
export function createEngineServices(models: Record<string, ModelConfig>): RunServices & { close(): Promise<void> } {
  const logger = pino({ level: 'silent' })
  const media = createMediaTools({ logger })
  const inference = createInferenceService({
    models,
    logger,
    resolveImage: (ref) => media.readImage(ref),
    env: {},
  })
  return {
    inference,
    media,
    async close() {
      await inference.close()
      await media.close()
    },
  }
}
