import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'
import { IMAGE_METRICS, RATING_NAMES, VIDEO_METRICS, type Metric, type Rating } from './default-metrics.js'

/** A minimum rating: 1..3 or its name. */
export type Level = 1 | 2 | 3 | Rating

/** Threshold rule; every condition given must hold. */
export interface ThresholdRule {
  /** Minimum rating of every metric. */
  minEach?: Level
  /** Minimum rating per metric key (metrics absent from the item's modality are ignored). */
  minScore?: Record<string, Level>
  /** Minimum mean of the numeric ratings (1..3). */
  minMean?: number
}

/** `all-excellent` (every metric Excellent) or a threshold rule. */
export type KeepRule = 'all-excellent' | ThresholdRule

/** The filter's `with:` after defaults are applied. */
export interface FilterConfig {
  /** Vision model that judges. Default `vlm`. */
  model: string
  /** Path of the PreparedMedia. Default `media`. */
  media: string
  /** Path of the caption to judge. Default `summary.caption`. */
  caption: string
  /** Metrics per modality. Default: the CapFlow image and video metrics. */
  metrics: { image: Metric[]; video: Metric[] }
  /** Which captions are kept. Default `all-excellent`. */
  keep: KeepRule
  /** Ask for a one-sentence reason per metric before its rating. Default true. */
  reasons: boolean
  /** Image prompt override (inline or .md/.txt file). */
  prompt?: string
  /** Video prompt override. */
  videoPrompt?: string
  /** Default 1024. */
  maxTokens: number
  /** Default 0. */
  temperature: number
}

const level: JsonSchema = {
  anyOf: [
    { type: 'integer', minimum: 1, maximum: 3 },
    { type: 'string', enum: RATING_NAMES },
  ],
}
const metricList = (defaults: Metric[]): JsonSchema => ({
  type: 'array',
  minItems: 1,
  default: defaults,
  items: {
    type: 'object',
    properties: {
      key: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$', description: 'JSON key of the metric.' },
      name: { type: 'string', minLength: 1 },
      description: { type: 'string', minLength: 1 },
    },
    required: ['key', 'name', 'description'],
    additionalProperties: false,
  },
})

/** JSON Schema of the filter's `with:`. */
export const filterConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('Vision model that judges the caption against the media.', 'vlm'),
    media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
    caption: pathField('Path of the caption to judge.', 'summary.caption'),
    metrics: {
      type: 'object',
      properties: { image: metricList(IMAGE_METRICS), video: metricList(VIDEO_METRICS) },
      default: {},
      additionalProperties: false,
      description:
        'Metrics per modality, each `{ key, name, description }`; a list replaces the default list of its modality.',
    },
    keep: {
      default: 'all-excellent',
      description:
        '`all-excellent`, or `{ minEach?, minScore?: { metric: level }, minMean? }` with levels 1..3 or Excellent/Good/Bad; every condition given must hold.',
      anyOf: [
        { type: 'string', enum: ['all-excellent'] },
        {
          type: 'object',
          properties: {
            minEach: level,
            minScore: { type: 'object', additionalProperties: level, minProperties: 1 },
            minMean: { type: 'number', minimum: 1, maximum: 3 },
          },
          minProperties: 1,
          additionalProperties: false,
        },
      ],
    },
    reasons: {
      type: 'boolean',
      default: true,
      description: 'Ask for a one-sentence reason per metric (kept in the output).',
    },
    prompt: {
      type: 'string',
      minLength: 1,
      description: 'Image prompt override; placeholders {{caption}}, {{metrics}}, {{format}}.',
    },
    videoPrompt: { type: 'string', minLength: 1, description: 'Video prompt override; also {{frames}}, {{duration}}.' },
    maxTokens: { type: 'integer', minimum: 16, default: 1024, description: 'Answer budget.' },
    temperature: { type: 'number', minimum: 0, default: 0, description: 'Sampling temperature.' },
  },
  additionalProperties: false,
}
