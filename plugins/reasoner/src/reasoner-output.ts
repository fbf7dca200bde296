import { answerUsageProperties, type AnswerUsage, type JsonSchema } from '@dataflow/sdk'
import type { ExtractedBy } from './extract-choice.js'

/** What the reasoner writes. */
export type ReasonerOutput = AnswerUsage & {
  /** The model's answer as received, think block included. */
  answer: string
  /** The chosen option letter, or null when the answer names none. */
  choice: string | null
  /** True when `choice` is the ground truth; false when no choice was found. */
  correct: boolean
  /** The correct letter. */
  groundTruth: string
  /** How the choice was found in the answer. */
  extractedBy: ExtractedBy
}

/** JSON Schema of the reasoner output. */
export const reasonerOutputSchema: JsonSchema = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    choice: { type: ['string', 'null'], pattern: '^[A-Z]$' },
    correct: { type: 'boolean' },
    groundTruth: { type: 'string' },
    extractedBy: { type: 'string', enum: ['explicit', 'last-letter', 'option-text', 'none'] },
    ...answerUsageProperties,
  },
  required: ['answer', 'choice', 'correct', 'groundTruth', 'extractedBy', 'tokens'],
  additionalProperties: false,
}
