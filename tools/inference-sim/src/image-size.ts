/** Pixel size of an encoded image, read from its header. */
export interface ImageSize {
  width: number
  height: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((b, i) => bytes[offset + i] === b)
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length))
}

function readPng(bytes: Buffer): ImageSize | undefined {
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return undefined
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** Start-of-frame markers that carry the frame size (all SOFn except DHT, JPG and DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

function readJpeg(bytes: Buffer): ImageSize | undefined {
  let offset = 2
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined
    const marker = bytes[offset + 1]!
    if (marker === 0xff) {
      offset++
      continue
    } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return undefined // end of image or scan data before any frame header
    const length = bytes.readUInt16BE(offset + 2)
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined
      return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) }
    }
    offset += 2 + length
  }
  return undefined
}

function readWebp(bytes: Buffer): ImageSize | undefined {
  if (bytes.length < 30) return undefined
  const chunk = ascii(bytes, 12, 4)
  if (chunk === 'VP8X') {
    return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 }
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined
    const bits = bytes.readUInt32LE(21)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8 ') {
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return undefined
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff }
  }
  return undefined
}

/**
 * Reads width and height from a PNG, JPEG, WebP (lossy, lossless, extended) or GIF header.
 * Returns undefined for other or corrupt data. Only the header is read, never the pixels.
 */
export function readImageSize(bytes: Buffer): ImageSize | undefined {
  let size: ImageSize | undefined
  if (startsWith(bytes, PNG_SIGNATURE)) size = readPng(bytes)
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) size = readJpeg(bytes)
  else if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') size = readWebp(bytes)
  else if (bytes.length >= 10 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) {
    size = { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) }
  }
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined
}
