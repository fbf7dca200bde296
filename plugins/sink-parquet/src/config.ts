import { outputPathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of a Parquet sink. */
export interface ParquetSinkConfig {
  /** Output file; relative paths land in the run directory. With `rotateEvery`: `<stem>-00000.parquet`, ... */
  path: string
  /** Rows per file; absent: one file. */
  rotateEvery?: number
  /** Rows per row group (what a reader holds in memory at once). Default 1000, or 100 with `imageBytes`. */
  rowGroupSize?: number
  /** Also write the original image bytes, as a Hugging Face `image` column `{ bytes, path }`. Default false. */
  imageBytes?: boolean
  /** Record field holding the image (a path or a media locator), for `imageBytes`. Default `media`. */
  media?: string
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. With `rotateEvery` the files are `<stem>-00000.parquet`, `<stem>-00001.parquet`, ...',
    ),
    rotateEvery: {
      type: 'integer',
      minimum: 1,
      description: 'Rows per file: a finished file is never written again. Default: one file.',
    },
    rowGroupSize: {
      type: 'integer',
      minimum: 1,
      description:
        'Rows per row group (what a reader holds in memory at once). Default 1000, or 100 with `imageBytes`.',
    },
    imageBytes: {
      type: 'boolean',
      default: false,
      description:
        'Also write the original image bytes (as received, not re-encoded) in a Hugging Face `image` column `{ bytes, path }`. Default false.',
    },
    media: {
      type: 'string',
      minLength: 1,
      default: 'media',
      description:
        'Record field holding the image (a file path or a media locator), read for `imageBytes`. Default `media`.',
    },
  },
}
