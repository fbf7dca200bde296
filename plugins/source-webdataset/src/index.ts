import { defineSource } from '@dataflow/sdk'
import { configSchema, type WebDatasetSourceConfig } from './config.js'
import { createWebDatasetSource } from './webdataset-source.js'

export type { WebDatasetSourceConfig } from './config.js'
export { readShard, type ReadShardOptions, type ShardSample } from './read-shard.js'

/** Source: WebDataset / img2dataset tar shards, streamed (never extracted), one item per sample key. */
export default defineSource<WebDatasetSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-webdataset',
  version: '0.1.0',
  description:
    'One item per sample of WebDataset tar shards (img2dataset layout); the image stays in the shard and is read by the media tools.',
  config: configSchema,
  shards: true,
  writes: {
    type: 'object',
    additionalProperties: true,
    properties: {
      key: {
        type: 'string',
        description: 'The sample key: the member name up to the first dot of its file name (the item id).',
      },
      shard: { type: 'string', description: 'The tar file the sample comes from (absolute path).' },
      media: {
        type: 'string',
        description:
          'Locator of the image member inside the shard (`tar:<shard>#offset=..&size=..&member=..`), read by the media tools.',
      },
      modality: { type: 'string', enum: ['image'], description: 'Always `image`.' },
      json: {
        type: 'object',
        additionalProperties: true,
        description: 'The parsed `.json` member (img2dataset: url, caption, width, height, ...).',
      },
      txt: { type: 'string', description: 'The `.txt` member (img2dataset: the caption).' },
      text: { type: 'string', description: 'The `.text` member.' },
      caption: { type: 'string', description: 'The `.caption` member.' },
      cls: { type: 'string', description: 'The `.cls` member (class label as text).' },
      id: { type: 'string', description: 'The `.id` member.' },
      url: { type: 'string', description: 'The `.url` member.' },
    },
  },
  create: (config, context) => createWebDatasetSource(config, context),
})
