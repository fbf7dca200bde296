import {
  DataflowError,
  createPromptLoader,
  defineNode,
  mediaFirst,
  readPreparedMedia,
  reject,
  renderTemplate,
  type JsonSchema,
} from '@dataflow/sdk'
import { filterConfigSchema, type FilterConfig } from './config-schema.js'
import { IMAGE_METRICS, RATINGS, RATING_NAMES, VIDEO_METRICS, type Metric, type Rating } from './default-metrics.js'
import { describeFormat, describeMetrics, readAnswer, toJudgeSchema, type MetricAnswer } from './judge-answer.js'
import { compileKeepRule, meanOf, round } from './keep-rule.js'

export type { FilterConfig, KeepRule, Level, ThresholdRule } from './config-schema.js'
export type { Metric, Rating } from './default-metrics.js'

/** What the filter writes (also the output kept with a rejected item). */
export interface JudgeOutput extends Record<string, unknown> {
  verdict: 'keep' | 'reject'
  scores: Record<string, Rating>
  numeric: Record<string, number>
  mean: number
  /** One sentence per metric, when `reasons` is on. */
  reasons?: Record<string, string>
  tokens: { prompt: number; completion: number }
}

/**
 * The CapFlow post filter (reject sampling): a VLM judge rates the caption against the media on
 * each metric; the keep rule decides, and rejected items keep their scores and the shortfalls.
 */
export default defineNode<FilterConfig, JudgeOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-filter',
  version: '0.1.0',
  description: 'Judges a caption against its image or video on several metrics and keeps or rejects the item.',
  config: filterConfigSchema,
  writes: (config) =>
    toOutputSchema([...(config.metrics?.image ?? IMAGE_METRICS), ...(config.metrics?.video ?? VIDEO_METRICS)]),
  async create(config, context) {
    const { image: imageMetrics, video: videoMetrics } = config.metrics
    const knownMetrics = [...new Set([...imageMetrics, ...videoMetrics].map((metric) => metric.key))]
    for (const list of [imageMetrics, videoMetrics]) {
      const keys = list.map((metric) => metric.key)
      const duplicate = keys.find((key, index) => keys.indexOf(key) !== index)
      if (duplicate !== undefined)
        throw new DataflowError('DATAFLOW_CONFIG_INVALID', `metrics: the key "${duplicate}" appears twice`)
    }
    const rule = compileKeepRule(config.keep, knownMetrics)
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const imagePrompt = await loadPrompt(config.prompt, 'image-judge', 'prompt')
    const videoPrompt = await loadPrompt(config.videoPrompt, 'video-judge', 'videoPrompt')
    const variants = {
      image: { metrics: imageMetrics, template: imagePrompt, schema: toJudgeSchema(imageMetrics, config.reasons) },
      video: { metrics: videoMetrics, template: videoPrompt, schema: toJudgeSchema(videoMetrics, config.reasons) },
    }

    return {
      identity: { imagePrompt, videoPrompt },
      async process(input, item) {
        const media = readPreparedMedia(input, config.media)
        const caption = input.get(config.caption)
        if (typeof caption !== 'string' || caption.trim() === '') {
          throw new DataflowError('DATAFLOW_INPUT_INVALID', `no caption to judge at "${config.caption}"`, {
            hint: 'Point `caption` at the output field that holds the caption (e.g. summary.caption).',
          })
        }
        const { metrics, template, schema } = media.video ? variants.video : variants.image
        const prompt = renderTemplate(template, {
          caption: caption.trim(),
          metrics: describeMetrics(metrics),
          format: describeFormat(metrics, config.reasons),
          frames: media.video?.frames.length,
          duration: media.video ? Math.round(media.video.durationSeconds * 10) / 10 : undefined,
        })
        const result = await item.inference.chatJson<Record<string, MetricAnswer>>(
          {
            model: config.model,
            messages: [{ role: 'user', content: mediaFirst(media, prompt) }],
            schema,
            schemaName: 'caption_judgement',
            maxTokens: config.maxTokens,
            temperature: config.temperature,
          },
          { signal: item.signal },
        )
        const { scores, reasons } = readAnswer(result.value, metrics)
        const numeric = Object.fromEntries(Object.entries(scores).map(([key, rating]) => [key, RATINGS[rating]]))
        const judgement = {
          scores,
          numeric,
          mean: round(meanOf(numeric, metrics)),
          ...(config.reasons ? { reasons } : {}),
          tokens: { prompt: result.usage.promptTokens, completion: result.usage.completionTokens },
        }
        const shortfalls = rule.shortfalls(numeric, metrics)
        if (shortfalls.length === 0) return { verdict: 'keep', ...judgement }
        return reject(`caption below the keep rule: ${shortfalls.join('; ')}`, {
          details: { scores, shortfalls, rule: config.keep },
          output: { verdict: 'reject', ...judgement },
        })
      },
    }
  },
})

function toOutputSchema(metrics: readonly Metric[]): JsonSchema {
  const keys = [...new Set(metrics.map((metric) => metric.key))]
  const map = (value: JsonSchema): JsonSchema => ({
    type: 'object',
    properties: Object.fromEntries(keys.map((key) => [key, value])),
    additionalProperties: false,
  })
  return {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['keep', 'reject'] },
      scores: map({ type: 'string', enum: RATING_NAMES }),
      numeric: map({ type: 'integer', minimum: 1, maximum: 3 }),
      mean: { type: 'number', minimum: 1, maximum: 3 },
      reasons: map({ type: 'string' }),
      tokens: {
        type: 'object',
        properties: { prompt: { type: 'integer' }, completion: { type: 'integer' } },
        required: ['prompt', 'completion'],
      },
    },
    required: ['verdict', 'scores', 'numeric', 'mean', 'tokens'],
  }
}
