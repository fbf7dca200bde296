import type { JsonSchema } from '@dataflow/sdk'

/** Relative cost of one item, used to balance shards. */
export interface ItemWeights {
  /** Cost of an image item. Default 1. */
  image?: number
  /** Cost of a video item (frames make every call dearer). Default 8. */
  video?: number
}

/** The `with:` of the Metafile source. */
export interface MetafileSourceConfig {
  /** The Metafile (JSON), relative to the pipeline file. Required unless `plan` is set. */
  metafile?: string
  /** Only these datasets (Metafile keys), in Metafile order. Default: all. */
  datasets?: string[]
  /** A split-plan file (JSONL): take exactly its slices for the current shard instead of planning. */
  plan?: string
  /**
   * Scan every annotation file before the first item (syntax, record types, duplicate ids), so
   * that a bad file fails the run before it starts. Default true. Sharding without a plan scans anyway.
   */
  validate?: boolean
  /** Cost model for shard planning. Default `{ image: 1, video: 8 }`; chart-math and document items cost 4/3 (4 agents instead of 3). */
  weights?: ItemWeights
}

export const DEFAULT_WEIGHTS = { image: 1, video: 8 } as const

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    metafile: {
      type: 'string',
      minLength: 1,
      description: 'The Metafile (JSON), relative to the pipeline file. Required unless `plan` is set.',
    },
    datasets: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Only these datasets (Metafile keys or plan `dataset` names). Default: all, in Metafile order.',
    },
    plan: {
      type: 'string',
      minLength: 1,
      description:
        'Split-plan file (JSONL, one slice per line): take exactly its slices for this shard. Relative to the pipeline file.',
    },
    validate: {
      type: 'boolean',
      default: true,
      description:
        'Scan all annotation files before the first item (syntax, types, duplicate ids) so a bad file fails before the run starts. Default true.',
    },
    weights: {
      type: 'object',
      additionalProperties: false,
      description:
        'Relative item cost for shard planning. Default `{ image: 1, video: 8 }`; chart-math and document items count 4/3.',
      properties: {
        image: {
          type: 'number',
          exclusiveMinimum: 0,
          default: DEFAULT_WEIGHTS.image,
          description: 'Cost of an image item. Default 1.',
        },
        video: {
          type: 'number',
          exclusiveMinimum: 0,
          default: DEFAULT_WEIGHTS.video,
          description: 'Cost of a video item. Default 8.',
        },
      },
    },
  },
}
