import { answerUsageProperties, type AnswerUsage, type JsonSchema } from '@dataflow/sdk'
import type { LlmConfig } from './config-schema.js'

/**
 * What the llm node writes. One sample: `text`, or the fields of the JSON answer. Several:
 * `samples`, a list of texts or of JSON answers. Always `tokens` (summed over samples) and
 * `truncated` when an answer hit `maxTokens`.
 */
export type LlmOutput = AnswerUsage & Record<string, unknown>

/** The output schema for a config: the `schema` fields become readable by `when` and sinks. */
export function toLlmOutputSchema(config: Pick<LlmConfig, 'schema' | 'n'>): JsonSchema {
  const answer: JsonSchema = config.schema ?? { type: 'string' }
  if ((config.n ?? 1) > 1) {
    return {
      type: 'object',
      properties: { samples: { type: 'array', items: answer }, ...answerUsageProperties },
      required: ['samples', 'tokens'],
      additionalProperties: false,
    }
  }
  if (config.schema === undefined) {
    return {
      type: 'object',
      properties: { text: { type: 'string' }, ...answerUsageProperties },
      required: ['text', 'tokens'],
      additionalProperties: false,
    }
  }
  const { schema } = config
  return {
    type: 'object',
    properties: { ...schema.properties, ...answerUsageProperties },
    required: [...(schema.required ?? []), 'tokens'],
    ...(schema.additionalProperties === undefined ? {} : { additionalProperties: schema.additionalProperties }),
  }
}
