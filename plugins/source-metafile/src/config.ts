import { field, type ConfigOf } from '@dataflow/sdk'

export const DEFAULT_WEIGHTS = { image: 1, video: 8 } as const

const weightsSchema = field.object(
  {
    image: field.number({
      exclusiveMinimum: 0,
      default: DEFAULT_WEIGHTS.image,
      description: 'Cost of an image item.',
    }),
    video: field.number({
      exclusiveMinimum: 0,
      default: DEFAULT_WEIGHTS.video,
      description: 'Cost of a video item (frames make every call dearer).',
    }),
  },
  {
    description:
      'Relative item cost for shard planning. Default `{ image: 1, video: 8 }`; chart-math and document items count 4/3 (4 agents instead of 3).',
  },
)

/** Relative cost of one item, used to balance shards; a missing weight takes its default. */
export type ItemWeights = Partial<ConfigOf<typeof weightsSchema>>

/** JSON Schema of the Metafile source's `with:`; {@link MetafileSourceConfig} is inferred from it. */
export const configSchema = field.object({
  metafile: field.string({
    minLength: 1,
    description: 'The Metafile (JSON), relative to the pipeline file. Required unless `plan` is set.',
  }),
  datasets: field.array(field.string({ minLength: 1 }), {
    description:
      'Only these datasets (Metafile keys or plan `dataset` names); unknown names are a config error. Default: all, in Metafile order.',
  }),
  plan: field.string({
    minLength: 1,
    description:
      'Split-plan file (JSONL, one slice per line): take exactly its slices for this shard. Relative to the pipeline file.',
  }),
  validate: field.boolean({
    default: true,
    description:
      'Scan all annotation files before the first item (syntax, types, duplicate ids) so a bad file fails before the run starts. Sharding without a plan scans anyway.',
  }),
  weights: weightsSchema,
})

/** The `with:` of the Metafile source, after defaults are applied. */
export type MetafileSourceConfig = ConfigOf<typeof configSchema>
