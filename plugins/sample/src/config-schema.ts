import { pathField, type JsonSchema } from '@dataflow/sdk'

/** The sample node's `with:` after defaults are applied: `fraction`, `perGroup`, or both. */
export interface SampleConfig {
  /** Share of items kept, decided by a hash of `by` and `seed` (the same items every run). */
  fraction?: number
  /** Path of the value hashed for `fraction`. Default: the item id. */
  by?: string
  /** Changes which items a fraction keeps. Default 0. */
  seed: number
  /** Path of the group of an item (with `perGroup`). */
  group?: string
  /** Keep at most this many items per group: the first to arrive. */
  perGroup?: number
}

/** JSON Schema of the sample node's `with:`. */
export const sampleConfigSchema: JsonSchema = {
  type: 'object',
  description: '`fraction` (deterministic share), `group` + `perGroup` (cap per group), or both.',
  properties: {
    fraction: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description:
        'Share of items kept, decided per item by a hash of `by` and `seed`: the same items every run, whatever the order or the sharding.',
    },
    by: pathField(
      'Path of the value hashed for `fraction` (e.g. item.user keeps all or none of a user). Default: the item id.',
    ),
    seed: { type: 'integer', minimum: 0, default: 0, description: 'Changes which items a fraction keeps.' },
    group: pathField('Path of the group of an item, e.g. route.domain (with `perGroup`).'),
    perGroup: {
      type: 'integer',
      minimum: 1,
      description: 'Keep at most this many items per group value: the first to reach the node.',
    },
  },
  anyOf: [{ required: ['fraction'] }, { required: ['perGroup'] }],
  allOf: [
    { if: { required: ['perGroup'] }, then: { required: ['group'] } },
    { if: { required: ['group'] }, then: { required: ['perGroup'] } },
  ],
  additionalProperties: false,
}
