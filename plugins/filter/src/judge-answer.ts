import type { JsonSchema } from '@dataflow/sdk'
import { RATING_NAMES, type Metric, type Rating } from './default-metrics.js'

/** The judge's answer for one metric. */
export type MetricAnswer = Rating | { reason: string; rating: Rating }

/** Structured-output schema built from the metric list: one required entry per metric, nothing else. */
export function toJudgeSchema(metrics: readonly Metric[], reasons: boolean): JsonSchema {
  const rating: JsonSchema = { type: 'string', enum: RATING_NAMES }
  const entry: JsonSchema = reasons
    ? {
        type: 'object',
        properties: { reason: { type: 'string' }, rating },
        required: ['reason', 'rating'],
        additionalProperties: false,
      }
    : rating
  return {
    type: 'object',
    properties: Object.fromEntries(metrics.map((metric) => [metric.key, entry])),
    required: metrics.map((metric) => metric.key),
    additionalProperties: false,
  }
}

/** The `{{metrics}}` block shown to the judge. */
export function describeMetrics(metrics: readonly Metric[]): string {
  return metrics.map((metric) => `- ${metric.key} (${metric.name}): ${metric.description}`).join('\n')
}

/** The `{{format}}` block: the exact JSON shape expected. */
export function describeFormat(metrics: readonly Metric[], reasons: boolean): string {
  const value = reasons
    ? '{"reason": "<one sentence naming the specific problem, or why it is excellent>", "rating": "Excellent" | "Good" | "Bad"}'
    : '"Excellent" | "Good" | "Bad"'
  return `{\n${metrics.map((metric) => `  "${metric.key}": ${value}`).join(',\n')}\n}`
}

/** Splits the answer into rating names and reasons. */
export function readAnswer(
  value: Record<string, MetricAnswer>,
  metrics: readonly Metric[],
): { scores: Record<string, Rating>; reasons: Record<string, string> } {
  const scores: Record<string, Rating> = {}
  const reasons: Record<string, string> = {}
  for (const { key } of metrics) {
    const answer = value[key]!
    if (typeof answer === 'string') scores[key] = answer
    else {
      scores[key] = answer.rating
      reasons[key] = answer.reason
    }
  }
  return { scores, reasons }
}
