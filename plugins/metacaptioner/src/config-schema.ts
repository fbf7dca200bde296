import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the captioner's `with:`; {@link CaptionerConfig} is inferred from it. */
export const captionerConfigSchema = field.object({
  model: modelField('The captioning model, e.g. MetaCaptioner-8B served by lmdeploy or vLLM.', 'captioner'),
  media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
  prompt: field.string({
    minLength: 1,
    description:
      'Image instruction: inline text or a one-line .md/.txt path relative to the pipeline file. Default `prompts/image-caption.md`.',
  }),
  videoPrompt: field.string({
    minLength: 1,
    description:
      'Video instruction, same forms; {{frames}} and {{duration}} are available. Default `prompts/video-caption.md`.',
  }),
  maxTokens: field.integer({ minimum: 16, default: 2048, description: 'Caption budget.' }),
  temperature: field.number({ minimum: 0, description: 'Sampling temperature; unset means the model default.' }),
})

/** The captioner's `with:` after defaults are applied. */
export type CaptionerConfig = ConfigOf<typeof captionerConfigSchema>
