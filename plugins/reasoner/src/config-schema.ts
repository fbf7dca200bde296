import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'

/** The reasoner's `with:` after defaults are applied. */
export interface ReasonerConfig {
  /** Text-only reasoning model (DeepSeek-R1-Distill-Qwen in the paper). Default `reasoner`. */
  model: string
  /** Path of the caption text. Default `caption.caption`. */
  caption: string
  /** Path of the question. Default `item.question`. */
  question: string
  /** Path of the options (`{ A: text }` or a list). Default `item.options`. */
  options: string
  /** Path of the correct letter. Default `item.answer`. */
  answer: string
  /** Path of the optional hint shown before the question. Default `item.hint`. */
  hint: string
  /** Prompt override: inline text, or a .md/.txt file relative to the pipeline file. */
  prompt?: string
  /** Answer length limit; reasoning models think long. Default 4096. */
  maxTokens: number
  /** Default 0.7 (the paper's setting). */
  temperature: number
  /** Default 0.95 (the paper's setting). */
  topP: number
}

/** JSON Schema of the reasoner's `with:`. */
export const reasonerConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('Text-only reasoning model that answers from the caption.', 'reasoner'),
    caption: pathField('Path of the caption text (a node id and its field).', 'caption.caption'),
    question: pathField('Path of the benchmark question.', 'item.question'),
    options: pathField('Path of the options: { A: text, ... } or a list lettered A, B, ...', 'item.options'),
    answer: pathField('Path of the correct letter.', 'item.answer'),
    hint: pathField('Path of the optional hint shown before the question.', 'item.hint'),
    prompt: {
      type: 'string',
      minLength: 1,
      description:
        'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file. Placeholders: {{caption}}, {{query}} (hint, question and "A. text" option lines, each ending with a line break), {{hint}}, {{question}}, {{options}}.',
    },
    maxTokens: {
      type: 'integer',
      minimum: 16,
      default: 4096,
      description: 'Answer length limit; reasoning models think long.',
    },
    temperature: { type: 'number', minimum: 0, default: 0.7, description: 'Sampling temperature (paper: 0.7).' },
    topP: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.95,
      description: 'Nucleus sampling (paper: 0.95).',
    },
  },
  additionalProperties: false,
}
