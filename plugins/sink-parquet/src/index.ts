import { defineSink } from '@dataflow/sdk'
import { configSchema, type ParquetSinkConfig } from './config.js'
import { createParquetSink } from './parquet-sink.js'

export type { ParquetSinkConfig } from './config.js'

/** Sink: records as Parquet files in row groups, rotated every N rows; optionally with the original image bytes. */
export default defineSink<ParquetSinkConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-sink-parquet',
  version: '0.1.0',
  description:
    'Writes records as Parquet files (row groups, rotated every N rows), readable by pyarrow and DuckDB; optionally with the image bytes as received.',
  config: configSchema,
  create: (config, context) => createParquetSink(config, context),
})
