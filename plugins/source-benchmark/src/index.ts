import { defineSource } from '@dataflow/sdk'
import { benchmarkItemSchema } from './benchmark-item.js'
import { createBenchmarkSource } from './benchmark-source.js'
import { configSchema, type BenchmarkSourceConfig } from './config.js'

export type { BenchmarkItem } from './benchmark-item.js'
export type { BenchmarkFormat, BenchmarkSourceConfig } from './config.js'

/**
 * Source: multiple-choice benchmark questions with one image each, from a VLMEvalKit-style TSV
 * (base64 images) or a JSONL file, streamed row by row. Inline images are written once into the
 * run directory so that the media node reads them by path.
 */
export default defineSource<BenchmarkSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-benchmark',
  version: '0.1.0',
  description:
    'Multiple-choice benchmark items (VLMEvalKit TSV or JSONL) with their image; unusable rows become error records.',
  config: configSchema,
  writes: benchmarkItemSchema,
  create: (config, context) => createBenchmarkSource(config, context),
})
