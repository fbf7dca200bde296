import { defineSource } from '@dataflow/sdk'
import { configSchema, type ParquetSourceConfig } from './config.js'
import { createParquetSource } from './parquet-source.js'

export type { ParquetSourceConfig } from './config.js'
export { openParquetFile, readParquetRows, type OpenedParquetFile, type ParquetRowEvent } from './read-parquet-file.js'

/** Source: Parquet files (Hugging Face image datasets), one item per row, streamed by row group. */
export default defineSource<ParquetSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-parquet',
  version: '0.1.0',
  description:
    'One item per row of Parquet files (Hugging Face `image` {bytes, path} columns, or a column of paths); read by row group, the image stays in the file.',
  config: configSchema,
  shards: true,
  writes: (config) => ({
    type: 'object',
    description: "The row's columns (except the image bytes column) as JSON, plus `media` and `modality`.",
    additionalProperties: true,
    properties: {
      media: {
        type: 'string',
        description:
          config.imagePath === undefined
            ? 'Locator of the image cell (`parquet:<file>#column=..&rowGroup=..&row=..`), read by the media tools.'
            : `The image file: the \`${config.imagePath}\` column resolved against \`root\`.`,
      },
      modality: { type: 'string', enum: ['image'], description: 'Always `image`.' },
    },
  }),
  create: (config, context) => createParquetSource(config, context),
})
