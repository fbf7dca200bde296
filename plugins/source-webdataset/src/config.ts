import { field, type ConfigOf } from '@dataflow/sdk'

const shardPattern = field.string({ minLength: 1 })

/** JSON Schema of a WebDataset source's `with:`; {@link WebDatasetSourceConfig} is inferred from it. */
export const configSchema = field.object(
  {
    shards: field.anyOf([shardPattern, field.array(shardPattern, { minItems: 1 })], {
      description:
        'Tar shards, relative to the pipeline file: a brace range (`shards/{00000..00099}.tar`), a glob (`shards/*.tar`, sorted by name), or a list of either; read in that order.',
    }),
  },
  { required: ['shards'] },
)

/** The `with:` of a WebDataset source. */
export type WebDatasetSourceConfig = ConfigOf<typeof configSchema>
