import { defineSource } from '@dataflow/sdk'
import { configSchema, type JsonlSourceConfig } from './config.js'
import { createJsonlSource } from './jsonl-source.js'

export type { JsonlSourceConfig } from './config.js'

/** Source: one item per line of a JSONL file, streamed line by line. */
export default defineSource<JsonlSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-jsonl',
  version: '0.1.0',
  description: 'One item per line of a JSONL file; malformed lines and duplicate ids become error records.',
  config: configSchema,
  writes: (config) => {
    const idField = config.idField ?? 'id'
    return {
      type: 'object',
      description: 'The JSON object of the line, as written.',
      additionalProperties: true,
      properties: idField.includes('.')
        ? {}
        : { [idField]: { type: ['string', 'number'], description: 'The item id (the line number when absent).' } },
    }
  },
  create: (config, context) => createJsonlSource(config, context),
})
