import { field, outputPathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of a WebDataset sink's `with:`; {@link WebDatasetSinkConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: outputPathField(
      'Output tar; relative paths land in the run directory and must stay inside it. With `rotateEvery` the shards are `<stem>-00000.tar`, `<stem>-00001.tar`, ..., each with a `<stem>-00000.parquet` sidecar.',
    ),
    rotateEvery: field.integer({
      minimum: 1,
      description: 'Samples per shard: a finished shard (and its sidecar) is never written again. Default: one shard.',
    }),
    media: field.string({
      minLength: 1,
      default: 'media',
      description: 'Record field holding the image (a file path or a media locator); its bytes are copied as received.',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a WebDataset sink, after defaults are applied. */
export type WebDatasetSinkConfig = ConfigOf<typeof configSchema>
