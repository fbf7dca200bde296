import { field, type ConfigOf } from '@dataflow/sdk'

export const DEFAULT_INCLUDE = '**/*.{jpg,jpeg,png,webp,gif,avif,tif,tiff,bmp,mp4,mov,mkv,webm,avi}'

const globs = () => [field.string({ minLength: 1 }), field.array(field.string({ minLength: 1 }))] as const

/** JSON Schema of the folder source's `with:`; {@link FilesSourceConfig} is inferred from it. */
export const configSchema = field.object(
  {
    dir: field.string({ minLength: 1, description: 'The folder, relative to the pipeline file.' }),
    include: field.anyOf(globs(), {
      default: DEFAULT_INCLUDE,
      description:
        'Glob(s) of files to take, relative to dir (*, **, ?, {a,b}, [a-z]). Default: images and videos at any depth.',
    }),
    exclude: field.anyOf(globs(), {
      description: 'Glob(s) of files to leave out; a folder matching one is not entered. Default none.',
    }),
    followSymlinks: field.boolean({
      default: false,
      description: 'Enter symlinked folders (cycles are skipped). Symlinked files are always listed.',
    }),
    dataset: field.string({
      minLength: 1,
      description: 'Value of the `dataset` item field. Default: the folder name.',
    }),
    dot: field.boolean({ default: false, description: 'Let wildcards match names starting with a dot.' }),
    ignoreCase: field.boolean({
      default: true,
      description: 'Match globs ignoring case (`*.jpg` takes `A.JPG`).',
    }),
  },
  { required: ['dir'] },
)

/** The `with:` of a folder source, after defaults are applied. */
export type FilesSourceConfig = ConfigOf<typeof configSchema>
