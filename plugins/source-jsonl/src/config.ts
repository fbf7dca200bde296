import type { JsonSchema } from '@dataflow/sdk'

/** The `with:` of a JSONL source. */
export interface JsonlSourceConfig {
  /** The JSONL file, relative to the pipeline file. */
  path: string
  /**
   * Field (or dotted path) holding the item id; a string or a number. Default `id`.
   * A record without it gets its 1-based line number as id.
   */
  idField?: string
}

export const DEFAULT_ID_FIELD = 'id'

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: 'The JSONL file (one JSON object per line), relative to the pipeline file.',
    },
    idField: {
      type: 'string',
      minLength: 1,
      default: DEFAULT_ID_FIELD,
      description:
        'Field (or dotted path) holding the item id (string or number). Records without it get their 1-based line number. Default `id`.',
    },
  },
}
