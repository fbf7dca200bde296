import { field, type ConfigOf } from '@dataflow/sdk'

const fileOrPattern = field.string({ minLength: 1 })

/** JSON Schema of a Parquet source's `with:`; {@link ParquetSourceConfig} is inferred from it. */
export const configSchema = field.object(
  {
    files: field.anyOf([fileOrPattern, field.array(fileOrPattern, { minItems: 1 })], {
      description:
        'Parquet files, relative to the pipeline file: a glob (`data/*.parquet`, sorted by name), a brace range, or a list of either; read in that order.',
    }),
    image: field.string({
      minLength: 1,
      default: 'image',
      description:
        'Column holding the image bytes: a struct `{ bytes, path }` (Hugging Face `datasets`) or a binary column. Ignored when `imagePath` is set.',
    }),
    imagePath: field.string({
      minLength: 1,
      description: 'Column holding image file paths (relative to `root`) instead of bytes. Default: none.',
    }),
    root: field.string({
      minLength: 1,
      description:
        "Folder the `imagePath` values are relative to, relative to the pipeline file. Default: the pipeline file's folder.",
    }),
    idColumn: field.string({
      minLength: 1,
      description: 'Column holding the item id (string or integer). Default: none; the id is `<file name>/<row>`.',
    }),
  },
  { required: ['files'] },
)

/** The `with:` of a Parquet source, after defaults are applied. */
export type ParquetSourceConfig = ConfigOf<typeof configSchema>
