import {
  field,
  modelField,
  pathField,
  templateField,
  type ConfigField,
  type ConfigOf,
  type JsonSchema,
} from '@dataflow/sdk'

/** Output fields the node writes itself; a `schema` may not declare them. */
export const RESERVED_FIELDS = ['tokens', 'truncated', 'samples'] as const

/** The answer schema is the user's own JSON Schema: free-form beyond `type` and `properties`. */
const answerSchema: ConfigField<JsonSchema, false> = {
  type: 'object',
  description:
    'JSON Schema of the answer: an object with `properties`. The answer is checked against it (one re-ask when invalid) and its fields become the output, readable by `when` and sinks. Default: a text answer.',
  properties: {
    type: { const: 'object' },
    properties: {
      type: 'object',
      minProperties: 1,
      propertyNames: { not: { enum: [...RESERVED_FIELDS] } },
      additionalProperties: { type: 'object', additionalProperties: true },
    },
  },
  required: ['type', 'properties'],
  additionalProperties: true,
}

/** JSON Schema of the llm node's `with:`; {@link LlmConfig} is inferred from it. */
export const llmConfigSchema = field.object(
  {
    model: modelField('Model to ask (a key of `models:`).', 'llm'),
    prompt: templateField(
      'The user prompt: inline text or a one-line .md/.txt path relative to the pipeline file; `{{path}}` placeholders such as {{item.text}} or {{route.domain}} read the item and upstream outputs.',
    ),
    system: templateField('System prompt, same forms and placeholders. Default: none.'),
    media: pathField('Path of a PreparedMedia (the media node) to show before the prompt. Default: none (text only).'),
    schema: answerSchema,
    n: field.integer({ minimum: 1, maximum: 64, default: 1, description: 'Independent samples per item.' }),
    maxTokens: field.integer({ minimum: 1, description: "Answer length limit. Default: the model's." }),
    temperature: field.number({ minimum: 0, description: "Sampling temperature. Default: the model's." }),
    topP: field.number({ exclusiveMinimum: 0, maximum: 1, description: "Nucleus sampling. Default: the model's." }),
    seed: field.integer({
      minimum: 0,
      description: 'Seed of the first sample; sample i gets seed + i. Default: none for one sample, 0 for several.',
    }),
  },
  { required: ['prompt'] },
)

/** The llm node's `with:` after defaults are applied. */
export type LlmConfig = ConfigOf<typeof llmConfigSchema>
