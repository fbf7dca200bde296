import { DataflowError, defineNode, type FramePolicy, type ImagePolicy, type PreparedMedia } from '@dataflow/sdk'
import { checkImageSource, checkVideoSource } from './check-source.js'
import { configSchema, type MediaNodeConfig } from './config-schema.js'
import { outputSchema } from './output-schema.js'
import { toModality } from './to-modality.js'

/**
 * Prepares an item's image or video for the models through `context.media`: validates the image
 * and sends it as it is when it fits, else resizes or converts it (or samples and resizes video
 * frames), and writes a PreparedMedia. Items failing a source filter are rejected; media that
 * cannot be decoded is an error.
 */
export default defineNode<MediaNodeConfig, PreparedMedia & Record<string, unknown>>({
  specVersion: 1,
  name: '@dataflow/plugin-media',
  description:
    "Validates the item's image and sends it as it is when it fits, else resizes or converts it; samples frames from its video; applies the source filters.",
  config: configSchema,
  writes: outputSchema,
  create(config) {
    const imagePolicy: ImagePolicy = {
      maxPixels: config.maxPixels,
      minPixels: config.minPixels,
      factor: config.factor,
      format: config.format,
      quality: config.quality,
      sendOriginal: config.sendOriginal,
      decoderWarnings: config.decoderWarnings,
      svg: config.svg,
      maxInputPixels: config.maxInputPixels,
    }
    const framePolicy: FramePolicy = {
      ...imagePolicy,
      maxPixels: config.frameMaxPixels,
      frames: config.frames,
      maxFps: config.maxFps,
    }
    return {
      async process(input, { media }) {
        const path = input.get(config.path)
        if (typeof path !== 'string' || path === '') {
          throw new DataflowError(
            'DATAFLOW_INPUT_INVALID',
            `the item has no media path at "${config.path}" (found ${JSON.stringify(path) ?? 'nothing'})`,
            {
              hint: 'Point `path` at the item field that holds the media file (sources write `item.media`).',
              details: { field: config.path },
            },
          )
        }
        const modality = toModality(input.get(config.modality), path, config.modality)
        if (modality === 'video') {
          const info = await media.probeVideo(path)
          const rejection = checkVideoSource(info.width, info.height, config)
          if (rejection) return rejection
          const video = await media.prepareVideo(path, framePolicy)
          return { modality, video, originalWidth: info.width, originalHeight: info.height }
        }
        // The header alone decides the source filters, so a rejected image is never decoded.
        // MediaTools without probeImage: the filters see the prepared size instead.
        const info = media.probeImage ? await media.probeImage(path) : undefined
        if (info) {
          const rejection = checkImageSource(info.width, info.height, config)
          if (rejection) return rejection
        }
        const image = await media.prepareImage(path, imagePolicy)
        if (!info) {
          const rejection = checkImageSource(image.width, image.height, config)
          if (rejection) return rejection
        }
        return {
          modality,
          image,
          originalWidth: info?.width ?? image.width,
          originalHeight: info?.height ?? image.height,
        }
      },
    }
  },
})
