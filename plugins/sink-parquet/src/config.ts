import { field, outputPathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of a Parquet sink's `with:`; {@link ParquetSinkConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. With `rotateEvery` the files are `<stem>-00000.parquet`, `<stem>-00001.parquet`, ...',
    ),
    rotateEvery: field.integer({
      minimum: 1,
      description: 'Rows per file: a finished file is never written again. Default: one file.',
    }),
    rowGroupSize: field.integer({
      minimum: 1,
      description:
        'Rows per row group (what a reader holds in memory at once). Default 1000, or 100 with `imageBytes`.',
    }),
    imageBytes: field.boolean({
      default: false,
      description:
        'Also write the original image bytes (as received, not re-encoded) in a Hugging Face `image` column `{ bytes, path }`.',
    }),
    media: field.string({
      minLength: 1,
      default: 'media',
      description: 'Record field holding the image (a file path or a media locator), read for `imageBytes`.',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a Parquet sink, after defaults are applied. */
export type ParquetSinkConfig = ConfigOf<typeof configSchema>
