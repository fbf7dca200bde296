import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the aggregator's `with:`; {@link AggregatorConfig} is inferred from it. */
export const aggregatorConfigSchema = field.object({
  model: modelField('Text-only model that fuses the agent notes into one caption.', 'llm'),
  modalityField: pathField('Path of the modality; `video` selects the video prompt.', 'media.modality'),
  prompt: field.string({
    minLength: 1,
    description:
      'Image prompt override: inline text or a one-line .md/.txt path relative to the pipeline file; placeholders {{notes}} (required) and {{missing}}. Default `prompts/general-summary.md`.',
  }),
  videoPrompt: field.string({
    minLength: 1,
    description: 'Video prompt override, same forms and placeholders. Default `prompts/video-summary.md`.',
  }),
  maxTokens: field.integer({ minimum: 16, default: 2048, description: 'Caption budget.' }),
  temperature: field.number({ minimum: 0, description: 'Sampling temperature; unset means the model default.' }),
})

/** The aggregator's `with:` after defaults are applied. */
export type AggregatorConfig = ConfigOf<typeof aggregatorConfigSchema>
