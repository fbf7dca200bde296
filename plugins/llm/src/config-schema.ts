import { modelField, pathField, templateField, type JsonSchema } from '@dataflow/sdk'

/** The llm node's `with:` after defaults are applied. */
export interface LlmConfig {
  /** Model to ask (a key of `models:`). Default `llm`. */
  model: string
  /** The user prompt: inline text or a one-line .md/.txt path; `{{path}}` placeholders read the item scope. Required. */
  prompt: string
  /** System prompt, same forms and placeholders. Default: none. */
  system?: string
  /** Path of a PreparedMedia (from the media node) to show before the prompt. Default: none (text only). */
  media?: string
  /**
   * JSON Schema of the answer (an object with `properties`). Given, the answer is JSON checked
   * against it (re-asked once when invalid) and its fields become the node's output. Default: a text answer.
   */
  schema?: JsonSchema
  /** Independent samples per item. Default 1. */
  n: number
  /** Answer length limit. Default: the model's. */
  maxTokens?: number
  /** Default: the model's. */
  temperature?: number
  /** Default: the model's. */
  topP?: number
  /** Seed of the first sample (sample i gets seed + i). Default: none for one sample, 0 for several. */
  seed?: number
}

/** Output fields the node writes itself; a `schema` may not declare them. */
export const RESERVED_FIELDS = ['tokens', 'truncated', 'samples'] as const

/** JSON Schema of the llm node's `with:`. */
export const llmConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('Model to ask (a key of `models:`).', 'llm'),
    prompt: templateField(
      'The user prompt: inline text or a one-line .md/.txt path relative to the pipeline file; `{{path}}` placeholders such as {{item.text}} or {{route.domain}} read the item and upstream outputs.',
    ),
    system: templateField('System prompt, same forms and placeholders. Default: none.'),
    media: pathField('Path of a PreparedMedia (the media node) to show before the prompt. Default: none (text only).'),
    schema: {
      type: 'object',
      description:
        'JSON Schema of the answer: an object with `properties`. The answer is checked against it (one re-ask when invalid) and its fields become the output, readable by `when` and sinks. Default: a text answer.',
      properties: {
        type: { const: 'object' },
        properties: {
          type: 'object',
          minProperties: 1,
          propertyNames: { not: { enum: [...RESERVED_FIELDS] } },
          additionalProperties: { type: 'object' },
        },
      },
      required: ['type', 'properties'],
    },
    n: { type: 'integer', minimum: 1, maximum: 64, default: 1, description: 'Independent samples per item.' },
    maxTokens: { type: 'integer', minimum: 1, description: "Answer length limit. Default: the model's." },
    temperature: { type: 'number', minimum: 0, description: "Sampling temperature. Default: the model's." },
    topP: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: "Nucleus sampling. Default: the model's." },
    seed: {
      type: 'integer',
      minimum: 0,
      description: 'Seed of the first sample; sample i gets seed + i. Default: none for one sample, 0 for several.',
    },
  },
  required: ['prompt'],
  additionalProperties: false,
}
