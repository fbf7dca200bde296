import { field, outputPathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the sink's `with:`; {@link JsonlSinkConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. Missing folders are created.',
    ),
    append: field.boolean({
      default: false,
      description: 'Add to an existing file instead of replacing it (truncating).',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a JSONL sink, after defaults are applied. */
export type JsonlSinkConfig = ConfigOf<typeof configSchema>
