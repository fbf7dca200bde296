import { outputPathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of a JSONL sink. */
export interface JsonlSinkConfig {
  /** Output file; relative paths land in the run directory. */
  path: string
  /** Add to an existing file instead of replacing it. Default false. */
  append?: boolean
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. Missing folders are created.',
    ),
    append: {
      type: 'boolean',
      default: false,
      description: 'Add to an existing file instead of replacing it. Default false (truncate).',
    },
  },
}
