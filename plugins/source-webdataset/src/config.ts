import type { JsonSchema } from '@dataflow/sdk'

/** The `with:` of a WebDataset source. */
export interface WebDatasetSourceConfig {
  /**
   * Tar shards, relative to the pipeline file: a brace range (`shards/{00000..00099}.tar`), a glob
   * (`shards/*.tar`, sorted by name), or a list of either. Read in that order.
   */
  shards: string | string[]
}

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['shards'],
  properties: {
    shards: {
      description:
        'Tar shards, relative to the pipeline file: a brace range (`shards/{00000..00099}.tar`), a glob (`shards/*.tar`, sorted by name), or a list of either; read in that order.',
      oneOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
      ],
    },
  },
}
