import { outputPathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of a WebDataset sink. */
export interface WebDatasetSinkConfig {
  /** Output tar; relative paths land in the run directory. With `rotateEvery`: `<stem>-00000.tar`, ... */
  path: string
  /** Samples per shard; absent: one shard. */
  rotateEvery?: number
  /** Record field holding the image (a file path or a media locator), copied as received. Default `media`. */
  media?: string
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: outputPathField(
      'Output tar; relative paths land in the run directory and must stay inside it. With `rotateEvery` the shards are `<stem>-00000.tar`, `<stem>-00001.tar`, ..., each with a `<stem>-00000.parquet` sidecar.',
    ),
    rotateEvery: {
      type: 'integer',
      minimum: 1,
      description: 'Samples per shard: a finished shard (and its sidecar) is never written again. Default: one shard.',
    },
    media: {
      type: 'string',
      minLength: 1,
      default: 'media',
      description:
        'Record field holding the image (a file path or a media locator); its bytes are copied as received. Default `media`.',
    },
  },
}
