import { defineSink } from '@dataflow/sdk'
import { configSchema, type JsonlSinkConfig } from './config.js'
import { createJsonlSink } from './jsonl-sink.js'

export type { JsonlSinkConfig } from './config.js'

/** Sink: one JSON line per record, written with backpressure; `flush` fsyncs. */
export default defineSink<JsonlSinkConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-sink-jsonl',
  version: '0.1.0',
  description: 'Writes each record as one JSON line (relative paths land in the run directory).',
  config: configSchema,
  create: (config, context) => createJsonlSink(config, context),
})
