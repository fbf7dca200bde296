import sharp from 'sharp'
import type { ResolvedImagePolicy } from './image-policy.js'
import { toDecodeFailure, toFailOn } from './decode-failure.js'
import type { ImageHeader } from './read-image-header.js'

/**
 * Decodes every pixel of an image that is to be sent as it is, so that damage behind fine
 * headers is found before the bytes reach a model; tells whether any pixel is see-through.
 */
export async function decodeImage(
  bytes: Uint8Array,
  header: ImageHeader,
  path: string,
  policy: ResolvedImagePolicy,
): Promise<{ transparent: boolean }> {
  let decoded
  try {
    decoded = await sharp(bytes, { limitInputPixels: policy.maxInputPixels, failOn: toFailOn(policy) })
      .raw()
      .toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw await toDecodeFailure(error, bytes, path, header.format, policy)
  }
  const { data, info } = decoded
  return { transparent: header.hasAlpha && hasTransparentPixel(data, info.channels) }
}

/** True when the last (alpha) channel of 8-bit interleaved pixels is below opaque anywhere. */
function hasTransparentPixel(data: Uint8Array, channels: number): boolean {
  for (let index = channels - 1; index < data.length; index += channels) if (data[index]! < 255) return true
  return false
}
