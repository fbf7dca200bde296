import sharp from 'sharp'
import type { ImageRef } from '@dataflow/sdk'
import { toDecodeFailure, toFailOn } from './decode-failure.js'
import type { ResolvedImagePolicy } from './image-policy.js'
import type { ImageHeader } from './read-image-header.js'
import type { ResizeTarget } from './smart-resize.js'

/** Bytes ready for a model, with their size. */
export interface EncodedImage {
  bytes: Uint8Array
  mime: ImageRef['mime']
  width: number
  height: number
}

const MIME: Record<ResolvedImagePolicy['format'], ImageRef['mime']> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
}
const WHITE = { r: 255, g: 255, b: 255 }

/**
 * Decodes (first frame of animations), applies EXIF orientation, converts to 8-bit sRGB (CMYK,
 * 16-bit, grey and ICC-tagged inputs included), resizes to `target` (a no-op at the upright size)
 * and encodes with the policy's format. JPEG has no alpha channel: transparent pixels are
 * flattened on white.
 */
export async function encodeImage(
  bytes: Uint8Array,
  header: ImageHeader,
  path: string,
  policy: ResolvedImagePolicy,
  target: ResizeTarget,
): Promise<EncodedImage> {
  let pipeline = sharp(bytes, { limitInputPixels: policy.maxInputPixels, failOn: toFailOn(policy) })
    .autoOrient()
    .resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' })
  if (policy.format === 'jpeg') pipeline = pipeline.flatten({ background: WHITE })
  pipeline = pipeline.toColourspace('srgb')
  if (policy.format === 'jpeg') pipeline = pipeline.jpeg({ quality: policy.quality })
  else if (policy.format === 'webp') pipeline = pipeline.webp({ quality: policy.quality })
  else pipeline = pipeline.png()
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
    return {
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      mime: MIME[policy.format],
      width: info.width,
      height: info.height,
    }
  } catch (error) {
    throw await toDecodeFailure(error, bytes, path, header.format, policy)
  }
}
