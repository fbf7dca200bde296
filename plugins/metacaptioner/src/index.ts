import {
  DataflowError,
  answerUsageProperties,
  createPromptLoader,
  defineNode,
  mediaFirst,
  readPreparedMedia,
  renderTemplate,
  toAnswerUsage,
  type AnswerUsage,
  type JsonSchema,
} from '@dataflow/sdk'
import { captionerConfigSchema, type CaptionerConfig } from './config-schema.js'

export type { CaptionerConfig } from './config-schema.js'

/** What the captioner writes. */
export interface CaptionOutput extends Record<string, unknown>, AnswerUsage {
  caption: string
}

const writes: JsonSchema = {
  type: 'object',
  properties: {
    caption: { type: 'string' },
    ...answerUsageProperties,
  },
  required: ['caption', 'tokens'],
}

/** MetaCaptioner: one call per item, the media first and then a caption instruction. */
export default defineNode<CaptionerConfig, CaptionOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-metacaptioner',
  version: '0.1.0',
  description: 'Captions an image or a video in one call to a captioning model such as MetaCaptioner-8B.',
  config: captionerConfigSchema,
  writes,
  async create(config, context) {
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const imagePrompt = await loadPrompt(config.prompt, 'image-caption', 'prompt')
    const videoPrompt = await loadPrompt(config.videoPrompt, 'video-caption', 'videoPrompt')
    return {
      identity: { imagePrompt, videoPrompt },
      async process(input, item) {
        const media = readPreparedMedia(input, config.media)
        const instruction = media.video
          ? renderTemplate(videoPrompt, {
              frames: media.video.frames.length,
              duration: Math.round(media.video.durationSeconds * 10) / 10,
            })
          : imagePrompt
        const result = await item.inference.chat(
          {
            model: config.model,
            messages: [{ role: 'user', content: mediaFirst(media, instruction) }],
            maxTokens: config.maxTokens,
            ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
          },
          { signal: item.signal },
        )
        const caption = result.text.trim()
        if (caption === '') {
          throw new DataflowError('DATAFLOW_OUTPUT_INVALID', 'the captioner returned an empty caption', {
            details: { raw: result.text, finishReason: result.finishReason },
          })
        }
        return {
          caption,
          ...toAnswerUsage(result),
        }
      },
    }
  },
})
