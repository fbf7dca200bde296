import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'
import { IMAGE_METRICS, RATING_NAMES, VIDEO_METRICS } from './default-metrics.js'

/** A minimum rating: 1..3 or its name. */
const level = field.anyOf([field.integer({ minimum: 1, maximum: 3 }), field.enum(RATING_NAMES)])

/** A minimum rating: 1..3 or its name. */
export type Level = ConfigOf<typeof level>

/** One aspect the judge rates Excellent / Good / Bad. */
export const metricSchema = field.object(
  {
    key: field.string({
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      description: 'JSON key of the metric in the answer and in `scores` (camelCase).',
    }),
    name: field.string({ minLength: 1, description: 'Display name shown to the judge.' }),
    description: field.string({ minLength: 1, description: 'What the judge checks.' }),
  },
  { required: ['key', 'name', 'description'] },
)

const thresholdRule = field.object(
  {
    minEach: { ...level, description: 'Minimum rating of every metric.' },
    minScore: field.record(level, {
      minProperties: 1,
      description: "Minimum rating per metric key (metrics absent from the item's modality are ignored).",
    }),
    minMean: field.number({ minimum: 1, maximum: 3, description: 'Minimum mean of the numeric ratings (1..3).' }),
  },
  { minProperties: 1 },
)

/** Threshold rule; every condition given must hold. */
export type ThresholdRule = ConfigOf<typeof thresholdRule>

/** JSON Schema of the filter's `with:`; {@link FilterConfig} is inferred from it. */
export const filterConfigSchema = field.object({
  model: modelField('Vision model that judges the caption against the media.', 'vlm'),
  media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
  caption: pathField('Path of the caption to judge.', 'summary.caption'),
  metrics: field.object(
    {
      image: field.array(metricSchema, {
        minItems: 1,
        default: IMAGE_METRICS,
        description: 'Image metrics. Default: the five CapFlow image metrics.',
      }),
      video: field.array(metricSchema, {
        minItems: 1,
        default: VIDEO_METRICS,
        description: 'Video metrics. Default: the five CapFlow video metrics.',
      }),
    },
    {
      default: {},
      description:
        'Metrics per modality, each `{ key, name, description }`; a list replaces the default list of its modality.',
    },
  ),
  keep: field.anyOf([field.enum(['all-excellent']), thresholdRule], {
    default: 'all-excellent',
    description:
      '`all-excellent`, or `{ minEach?, minScore?: { metric: level }, minMean? }` with levels 1..3 or Excellent/Good/Bad; every condition given must hold.',
  }),
  reasons: field.boolean({
    default: true,
    description: 'Ask for a one-sentence reason per metric before its rating (kept in the output).',
  }),
  prompt: field.string({
    minLength: 1,
    description:
      'Image prompt override: inline text or a one-line .md/.txt path; placeholders {{caption}}, {{metrics}}, {{format}}. Default `prompts/image-judge.md`.',
  }),
  videoPrompt: field.string({
    minLength: 1,
    description: 'Video prompt override; also {{frames}}, {{duration}}. Default `prompts/video-judge.md`.',
  }),
  maxTokens: field.integer({ minimum: 16, default: 1024, description: 'Answer budget.' }),
  temperature: field.number({ minimum: 0, default: 0, description: 'Sampling temperature.' }),
})

/** `all-excellent` (every metric Excellent) or a threshold rule. */
export type KeepRule = FilterConfig['keep']

/** The filter's `with:` after defaults are applied. */
export type FilterConfig = ConfigOf<typeof filterConfigSchema>
