import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'

/** The aggregator's `with:` after defaults are applied. */
export interface AggregatorConfig {
  /** Text-only model that writes the caption. Default `llm`. */
  model: string
  /** Path of the modality; `video` selects the video prompt. Default `media.modality`. */
  modalityField: string
  /** Image prompt override (inline or .md/.txt file); must contain `{{notes}}`. Default `prompts/general-summary.md`. */
  prompt?: string
  /** Video prompt override; must contain `{{notes}}`. Default `prompts/video-summary.md`. */
  videoPrompt?: string
  /** Answer budget. Default 2048. */
  maxTokens: number
  /** Sampling temperature; unset means the model default. */
  temperature?: number
}

/** JSON Schema of the aggregator's `with:`. */
export const aggregatorConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('Text-only model that fuses the agent notes into one caption.', 'llm'),
    modalityField: pathField('Path of the modality; `video` selects the video prompt.', 'media.modality'),
    prompt: {
      type: 'string',
      minLength: 1,
      description:
        'Image prompt override: inline text or a one-line .md/.txt path; placeholders {{notes}} (required) and {{missing}}.',
    },
    videoPrompt: { type: 'string', minLength: 1, description: 'Video prompt override, same placeholders.' },
    maxTokens: { type: 'integer', minimum: 16, default: 2048, description: 'Answer budget.' },
    temperature: { type: 'number', minimum: 0, description: 'Sampling temperature; unset means the model default.' },
  },
  additionalProperties: false,
}
