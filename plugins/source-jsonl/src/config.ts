import { field, type ConfigOf } from '@dataflow/sdk'

export const DEFAULT_ID_FIELD = 'id'

/** JSON Schema of the JSONL source's `with:`; {@link JsonlSourceConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: field.string({
      minLength: 1,
      description: 'The JSONL file (one JSON object per line), relative to the pipeline file.',
    }),
    idField: field.string({
      minLength: 1,
      default: DEFAULT_ID_FIELD,
      description:
        'Field (or dotted path, `meta.uid`) holding the item id (string or number). Records without it get their 1-based line number.',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a JSONL source, after defaults are applied. */
export type JsonlSourceConfig = ConfigOf<typeof configSchema>
