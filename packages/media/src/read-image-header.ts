import { open, readFile } from 'node:fs/promises'
import sharp, { type Metadata } from 'sharp'
import type { ImageInfo } from '@dataflow/sdk'
import type { ResolvedImagePolicy } from './image-policy.js'
import { inspectSvg, isSvgDocument } from './inspect-svg.js'
import { describeDecodeError, looksLikeText, mediaInvalid, svgEntitiesRefused } from './media-errors.js'

/** What the header says, beyond {@link ImageInfo}: what decides whether the file can be sent as it is. */
export interface ImageHeader extends ImageInfo {
  /** EXIF orientation (1 to 8); 1 when the file has none. */
  orientation: number
  /** libvips interpretation: `srgb`, `b-w`, `cmyk`, `rgb16`, `grey16`... */
  space: string
  /** Sample format: `uchar` for 8 bits per channel. */
  depth: string
  hasAlpha: boolean
  /** The embedded ICC profile, if any. */
  icc?: Uint8Array
}

/**
 * Reads an image's header only (no pixel decoding) from bytes in memory or from a file (then only
 * the first blocks are read); throws DATAFLOW_MEDIA_INVALID for anything that is not an image.
 */
export async function readImageHeader(input: Uint8Array | string, path: string): Promise<ImageHeader> {
  let metadata: Metadata
  try {
    // Header only: the pixel limit is checked by checkImageHeader with the policy's own bound.
    metadata = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (error) {
    const head = typeof input === 'string' ? await readHead(input) : input
    if (isSvgDocument(head) && inspectSvg(typeof input === 'string' ? await readFile(input) : input)?.declaresEntities)
      throw svgEntitiesRefused(path, error)
    if (looksLikeText(head))
      throw mediaInvalid('image', path, 'the file contains text, not an image (wrong file extension?)', {}, error)
    throw mediaInvalid(
      'image',
      path,
      describeDecodeError(error, typeof input === 'string' ? undefined : input),
      {},
      error,
    )
  }
  const { width, height } = metadata.autoOrient
  if (!(width > 0 && height > 0))
    throw mediaInvalid('image', path, `the image header gives no usable size (${width}x${height})`)
  return {
    width,
    height,
    format: metadata.format,
    pages: metadata.pages ?? 1,
    orientation: metadata.orientation ?? 1,
    space: metadata.space,
    depth: metadata.depth,
    hasAlpha: metadata.hasAlpha,
    ...(metadata.icc === undefined ? {} : { icc: metadata.icc }),
  }
}

/** The public part of a header, as `probeImage` returns it. */
export function toImageInfo({ width, height, format, pages }: ImageHeader): ImageInfo {
  return { width, height, format, pages }
}

/**
 * Checks the header's size against the policy before anything is decoded: the
 * decompression-bomb guard (`maxInputPixels`) and the aspect-ratio bound (`maxAspectRatio`).
 */
export function checkImageHeader(info: ImageInfo, path: string, policy: ResolvedImagePolicy): void {
  const pixels = info.width * info.height
  if (pixels > policy.maxInputPixels) {
    throw mediaInvalid(
      'image',
      path,
      `the image claims ${info.width}x${info.height} pixels (${formatPixels(pixels)}), above the limit of ${formatPixels(policy.maxInputPixels)} ` +
        '(decompression-bomb guard); raise maxInputPixels if such images are expected',
      { width: info.width, height: info.height, maxInputPixels: policy.maxInputPixels },
    )
  }
  const ratio = Math.max(info.width, info.height) / Math.min(info.width, info.height)
  if (ratio > policy.maxAspectRatio) {
    throw mediaInvalid(
      'image',
      path,
      `the image is ${info.width}x${info.height}, an aspect ratio of ${ratio.toFixed(1)}:1, beyond the ${policy.maxAspectRatio}:1 a vision model accepts`,
      { width: info.width, height: info.height, aspectRatio: ratio, maxAspectRatio: policy.maxAspectRatio },
    )
  }
}

function formatPixels(pixels: number): string {
  if (pixels >= 1e9) return `${(pixels / 1e9).toFixed(1)} gigapixels`
  if (pixels >= 1e6) return `${(pixels / 1e6).toFixed(1)} megapixels`
  return `${pixels} pixels`
}

async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(64 * 1024), position: 0 })
    return buffer.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}
