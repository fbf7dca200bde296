import type { JsonSchema } from '@dataflow/sdk'

/** The `with:` of a folder source. */
export interface FilesSourceConfig {
  /** The folder, relative to the pipeline file. */
  dir: string
  /** Glob(s) of files to take, relative to `dir`. Default: images and videos at any depth. */
  include?: string | string[]
  /** Glob(s) of files (or folders) to leave out. Default none. */
  exclude?: string | string[]
  /** Enter symlinked folders. Default false (symlinked files are always listed). */
  followSymlinks?: boolean
  /** Value of the `dataset` item field. Default: the folder's name. */
  dataset?: string
  /** Let wildcards match names starting with `.`. Default false. */
  dot?: boolean
  /** Match globs ignoring case, so `*.jpg` also takes `IMG_1.JPG`. Default true. */
  ignoreCase?: boolean
}

export const DEFAULT_INCLUDE = '**/*.{jpg,jpeg,png,webp,gif,avif,tif,tiff,bmp,mp4,mov,mkv,webm,avi}'

const globs = (description: string, fallback?: string): JsonSchema => ({
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 } },
  ],
})

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dir'],
  properties: {
    dir: { type: 'string', minLength: 1, description: 'The folder, relative to the pipeline file.' },
    include: globs(
      `Glob(s) of files to take, relative to dir (*, **, ?, {a,b}, [a-z]). Default \`${DEFAULT_INCLUDE}\`.`,
      DEFAULT_INCLUDE,
    ),
    exclude: globs('Glob(s) of files to leave out; a folder matching one is not entered. Default none.'),
    followSymlinks: {
      type: 'boolean',
      default: false,
      description: 'Enter symlinked folders (cycles are skipped). Symlinked files are always listed. Default false.',
    },
    dataset: {
      type: 'string',
      minLength: 1,
      description: 'Value of the `dataset` item field. Default: the folder name.',
    },
    dot: {
      type: 'boolean',
      default: false,
      description: 'Let wildcards match names starting with a dot. Default false.',
    },
    ignoreCase: {
      type: 'boolean',
      default: true,
      description: 'Match globs ignoring case (`*.jpg` takes `A.JPG`). Default true.',
    },
  },
}
