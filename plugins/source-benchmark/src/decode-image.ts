/** Decoded image bytes and the extension their format calls for, or why they cannot be used. */
export type DecodedImage = { bytes: Buffer; extension: string; problem?: never } | { problem: string; bytes?: never }

const DATA_URI = /^data:[^,;]*(?:;[^,;]*)*;base64,/i
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/

/**
 * True when a value is inline base64 rather than a file path: a data URI, base64 whose first
 * bytes are an image signature, or a base64 run too long to be a path.
 */
export function isInlineImage(value: string): boolean {
  if (DATA_URI.test(value)) return true
  if (!BASE64.test(value)) return false
  return value.length > 256 || toImageExtension(Buffer.from(value.slice(0, 48), 'base64')) !== undefined
}

/** Decodes a base64 image (plain or a data URI) and recognises its format from its first bytes. */
export function decodeImage(value: string): DecodedImage {
  let text = value.trim().replace(DATA_URI, '')
  if (/\s/.test(text)) text = text.replace(/\s+/g, '')
  if (text === '') return { problem: 'the image is empty' }
  if (!BASE64.test(text) || text.length % 4 === 1) return { problem: 'the image is not valid base64' }
  const bytes = Buffer.from(text, 'base64')
  const extension = toImageExtension(bytes)
  if (extension === undefined)
    return {
      problem: `the base64 image decodes to ${bytes.length} bytes that are not a JPEG, PNG, GIF, WebP, BMP or TIFF image`,
    }
  return { bytes, extension }
}

/** The file extension of an image format recognised by its signature, or undefined. */
export function toImageExtension(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte)
  if (starts(0xff, 0xd8, 0xff)) return 'jpg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif'
  if (
    starts(0x52, 0x49, 0x46, 0x46) &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45 &&
    bytes[10] === 0x42 &&
    bytes[11] === 0x50
  )
    return 'webp'
  if (starts(0x42, 0x4d) && bytes.length > 26) return 'bmp'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tif'
  return undefined
}
