import { defineSink } from '@dataflow/sdk'
import { configSchema, type LlavaSinkConfig } from './config.js'
import { createLlavaSink } from './llava-sink.js'

export type { LlavaSinkConfig } from './config.js'
export type { LlavaEntry } from './to-llava-entry.js'

/** Sink: kept captions as LLaVA conversation training data (JSON array or JSONL). */
export default defineSink<LlavaSinkConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-sink-llava',
  version: '0.1.0',
  description: 'Exports captions as LLaVA conversations ({id, image|video, conversations: [human, gpt]}) for training.',
  config: configSchema,
  create: (config, context) => createLlavaSink(config, context),
})
