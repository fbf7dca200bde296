import { field, outputPathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the sink's `with:`; {@link JsonlSinkConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. Missing folders are created.',
    ),
    append: field.boolean({
      default: false,
      description: 'Add to an existing file instead of replacing it (truncating). Not with rotateEvery.',
    }),
    rotateEvery: field.integer({
      minimum: 1,
      description:
        'Records per file: writes <stem>-00000.jsonl, <stem>-00001.jsonl, ... beside `path` (a finished file is never changed again). Default: one file.',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a JSONL sink, after defaults are applied. */
export type JsonlSinkConfig = ConfigOf<typeof configSchema>
