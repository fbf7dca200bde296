import type { JsonSchema } from '@dataflow/sdk'

/** The `with:` of a Parquet source. */
export interface ParquetSourceConfig {
  /**
   * Parquet files, relative to the pipeline file: a glob (`data/*.parquet`, sorted by name), a
   * brace range, or a list of either. Read in that order.
   */
  files: string | string[]
  /**
   * Column holding the image bytes: a struct `{ bytes, path }` (the Hugging Face `datasets` layout)
   * or a binary column. Default `image`. Ignored when `imagePath` is set.
   */
  image?: string
  /** Column holding image file paths instead of bytes, relative to `root`. */
  imagePath?: string
  /** Folder the `imagePath` values are relative to, relative to the pipeline file. Default: the pipeline file's folder. */
  root?: string
  /** Column holding the item id (string or integer). Default: none, the id is `<file name>/<row>`. */
  idColumn?: string
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['files'],
  properties: {
    files: {
      description:
        'Parquet files, relative to the pipeline file: a glob (`data/*.parquet`, sorted by name), a brace range, or a list of either; read in that order.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      ],
    },
    image: {
      type: 'string',
      minLength: 1,
      default: 'image',
      description:
        'Column holding the image bytes: a struct `{ bytes, path }` (Hugging Face `datasets`) or a binary column. Default `image`. Ignored when `imagePath` is set.',
    },
    imagePath: {
      type: 'string',
      minLength: 1,
      description: 'Column holding image file paths (relative to `root`) instead of bytes. Default: none.',
    },
    root: {
      type: 'string',
      minLength: 1,
      description:
        "Folder the `imagePath` values are relative to, relative to the pipeline file. Default: the pipeline file's folder.",
    },
    idColumn: {
      type: 'string',
      minLength: 1,
      description: 'Column holding the item id (string or integer). Default: none; the id is `<file name>/<row>`.',
    },
  },
}
