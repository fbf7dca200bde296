import { field, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the sample node's `with:`: `fraction`, `perGroup`, or both; {@link SampleConfig} is inferred from it. */
export const sampleConfigSchema = field.object(
  {
    fraction: field.number({
      exclusiveMinimum: 0,
      maximum: 1,
      description:
        'Share of items kept, decided per item by a hash of `by` and `seed`: the same items every run, whatever the order or the sharding.',
    }),
    by: pathField(
      'Path of the value hashed for `fraction` (e.g. item.user keeps all or none of a user). Default: the item id.',
    ),
    seed: field.integer({ minimum: 0, default: 0, description: 'Changes which items a fraction keeps.' }),
    group: pathField('Path of the group of an item, e.g. route.domain (with `perGroup`).'),
    perGroup: field.integer({
      minimum: 1,
      description: 'Keep at most this many items per group value: the first to reach the node.',
    }),
  },
  {
    description: '`fraction` (deterministic share), `group` + `perGroup` (cap per group), or both.',
    anyOf: [{ required: ['fraction'] }, { required: ['perGroup'] }],
    allOf: [
      { if: { required: ['perGroup'] }, then: { required: ['group'] } },
      { if: { required: ['group'] }, then: { required: ['perGroup'] } },
    ],
  },
)

/** The sample node's `with:` after defaults are applied. */
export type SampleConfig = ConfigOf<typeof sampleConfigSchema>
