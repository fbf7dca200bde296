import type { ChatResult } from './inference.js'
import type { JsonSchema } from './json-schema.js'

/**
 * What a model node records about the answer it got: tokens, and whether `maxTokens` cut it.
 * A type alias (not an interface) so that outputs built from it stay assignable to NodeOutput.
 */
export type AnswerUsage = {
  tokens: { prompt: number; completion: number }
  /** Present when the answer hit `maxTokens`. */
  truncated?: true
}

/** The `writes` properties of {@link AnswerUsage}, to spread into a node's output schema (require `tokens`). */
export const answerUsageProperties: Record<string, JsonSchema> = {
  tokens: {
    type: 'object',
    properties: { prompt: { type: 'integer' }, completion: { type: 'integer' } },
    required: ['prompt', 'completion'],
  },
  truncated: { type: 'boolean', const: true },
}

/** The usage fields of a node output, from the answer. */
export function toAnswerUsage(result: ChatResult): AnswerUsage {
  const usage: AnswerUsage = {
    tokens: { prompt: result.usage.promptTokens, completion: result.usage.completionTokens },
  }
  if (result.finishReason === 'length') usage.truncated = true
  return usage
}
