import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'

/** The captioner's `with:` after defaults are applied. */
export interface CaptionerConfig {
  /** The captioning model (MetaCaptioner-8B behind lmdeploy or vLLM). Default `captioner`. */
  model: string
  /** Path of the PreparedMedia. Default `media`. */
  media: string
  /** Image instruction override (inline or .md/.txt file). Default `prompts/image-caption.md`. */
  prompt?: string
  /** Video instruction override. Default `prompts/video-caption.md`. */
  videoPrompt?: string
  /** Caption budget. Default 2048. */
  maxTokens: number
  /** Sampling temperature; unset means the model default. */
  temperature?: number
}

/** JSON Schema of the captioner's `with:`. */
export const captionerConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('The captioning model, e.g. MetaCaptioner-8B served by lmdeploy or vLLM.', 'captioner'),
    media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
    prompt: {
      type: 'string',
      minLength: 1,
      description: 'Image instruction: inline text or a one-line .md/.txt path relative to the pipeline file.',
    },
    videoPrompt: {
      type: 'string',
      minLength: 1,
      description: 'Video instruction, same forms; {{frames}} and {{duration}} are available.',
    },
    maxTokens: { type: 'integer', minimum: 16, default: 2048, description: 'Caption budget.' },
    temperature: { type: 'number', minimum: 0, description: 'Sampling temperature; unset means the model default.' },
  },
  additionalProperties: false,
}
