import { outputPathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of a JSONL sink. */
export interface JsonlSinkConfig {
  /** Output file; relative paths land in the run directory. */
  path: string
  /** Add to an existing file instead of replacing it. Default false. Not with `rotateEvery`. */
  append?: boolean
  /**
   * Records per file: the output becomes `<stem>-00000.jsonl`, `<stem>-00001.jsonl`, ... beside
   * `path`, and a file is never changed once the next one exists. Default: one file.
   */
  rotateEvery?: number
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
      description: 'Add to an existing file instead of replacing it. Default false (truncate). Not with rotateEvery.',
    },
    rotateEvery: {
      type: 'integer',
      minimum: 1,
      description:
        'Records per file: writes <stem>-00000.jsonl, <stem>-00001.jsonl, ... beside `path` (a finished file is never changed again). Default: one file.',
    },
  },
}
