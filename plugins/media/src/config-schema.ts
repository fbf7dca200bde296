import { field, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the media node's `with:`; {@link MediaNodeConfig} is inferred from it. */
export const configSchema = field.object({
  path: pathField(
    'Item path of the media file. Sources write an absolute path to `item.media`; a relative one resolves against the working directory.',
    'item.media',
  ),
  modality: pathField(
    'Item path of the modality (`image` or `video`). When the item has none, the file extension decides (.mp4, .mov, .mkv, .webm, .avi... are videos).',
    'item.modality',
  ),
  maxPixels: field.integer({
    minimum: 784,
    default: 1003520,
    description: 'Upper bound of width x height after resizing an image (1280 x 28 x 28, Qwen2.5-VL). Default 1003520.',
  }),
  minPixels: field.integer({
    minimum: 1,
    default: 3136,
    description: 'Lower bound of width x height; smaller images are upscaled (4 x 28 x 28). Default 3136.',
  }),
  factor: field.integer({
    minimum: 1,
    default: 28,
    description:
      "Both sides become multiples of this (the model's patch size x merge size: 28 for Qwen2.5-VL). Default 28.",
  }),
  format: field.enum(['jpeg', 'png', 'webp'], {
    default: 'jpeg',
    description:
      'Encoding of images that must be encoded again (resized, rotated, converted) and of video frames. JPEG flattens transparency on white. Default jpeg.',
  }),
  quality: field.integer({ minimum: 1, maximum: 100, default: 90, description: 'JPEG/WebP quality. Default 90.' }),
  sendOriginal: field.boolean({
    default: true,
    description:
      "Send a JPEG, PNG or WebP file's own bytes when it needs no change (within the pixel bounds, upright, 8-bit sRGB, opaque or kept transparent, still); false encodes every image with format and quality. Default true.",
  }),
  decoderWarnings: field.enum(['error', 'ignore'], {
    default: 'error',
    description:
      'A decoder warning ("Corrupt JPEG data", a damaged PNG chunk) makes the item an error; ignore uses what the decoder recovers. Default error.',
  }),
  svg: field.enum(['refuse', 'rasterize'], {
    default: 'refuse',
    description:
      'SVG files are refused, or rasterised at their own size when they have no XML entities and no references to files or URLs. Default refuse.',
  }),
  maxInputPixels: field.integer({
    minimum: 1,
    default: 178956970,
    description:
      'Largest accepted source image, in pixels, checked from the header before decoding (decompression-bomb guard). Default 178956970.',
  }),
  frames: field.integer({
    minimum: 1,
    maximum: 256,
    default: 8,
    description: 'Frames sampled uniformly from a video. Default 8.',
  }),
  maxFps: field.number({
    exclusiveMinimum: 0,
    default: 2,
    description:
      'Never sample faster than this: a clip shorter than frames / maxFps seconds gets fewer frames. Default 2.',
  }),
  frameMaxPixels: field.integer({
    minimum: 784,
    default: 602112,
    description:
      'Upper bound of width x height of each video frame (768 x 28 x 28, Qwen2.5-VL video default). Default 602112.',
  }),
  minShortEdge: field.integer({
    minimum: 1,
    description:
      'Source filter: reject images whose shorter side is below this many pixels (the paper used 512). Default: off.',
  }),
  maxAspectRatio: field.number({
    minimum: 1,
    description:
      'Source filter: reject images whose long/short side ratio is above this (the paper used 2). Default: off.',
  }),
  minVideoHeight: field.integer({
    minimum: 0,
    default: 480,
    description:
      'Source filter: reject videos below this resolution, compared with the shorter side so that portrait clips count like landscape ones (480 = 480p). 0 turns it off. Default 480.',
  }),
})

/** The node's `with:` after defaults are applied. */
export type MediaNodeConfig = ConfigOf<typeof configSchema>
