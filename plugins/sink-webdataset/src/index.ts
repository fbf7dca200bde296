import { defineSink } from '@dataflow/sdk'
import { configSchema, type WebDatasetSinkConfig } from './config.js'
import { createWebDatasetSink } from './webdataset-sink.js'

export type { WebDatasetSinkConfig } from './config.js'

/** Sink: kept records as WebDataset tar shards (image as received, JSON, caption) with a Parquet sidecar per shard. */
export default defineSink<WebDatasetSinkConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-sink-webdataset',
  version: '0.1.0',
  description:
    'Writes records as WebDataset shards: {key}.jpg as received, {key}.json, {key}.txt; a Parquet sidecar per shard; rotated every N samples.',
  config: configSchema,
  create: (config, context) => createWebDatasetSink(config, context),
})
