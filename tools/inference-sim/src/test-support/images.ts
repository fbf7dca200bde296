import { crc32, deflateSync } from 'node:zlib'

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A complete, valid grey PNG of the given size (8-bit greyscale, no filter). */
export function makePng(width: number, height: number, shade = 128): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  const row = Buffer.alloc(width + 1, shade)
  row[0] = 0 // filter: none
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** JPEG header bytes: SOI, a JFIF APP0, an EXIF-like APP1 of `exifBytes`, then a baseline SOF0. */
export function makeJpegHeader(width: number, height: number, exifBytes = 100): Buffer {
  const segment = (marker: number, payload: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0])
    head.writeUInt16BE(payload.length + 2, 2)
    return Buffer.concat([head, payload])
  }
  const sof = Buffer.alloc(15)
  sof[0] = 8
  sof.writeUInt16BE(height, 1)
  sof.writeUInt16BE(width, 3)
  sof[5] = 3
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'binary')),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'binary'), Buffer.alloc(exifBytes)])),
    segment(0xc0, sof),
    Buffer.from([0xff, 0xd9]),
  ])
}

function riff(chunk: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(20)
  head.write('RIFF', 0, 'ascii')
  head.writeUInt32LE(payload.length + 12, 4)
  head.write('WEBP', 8, 'ascii')
  head.write(chunk, 12, 'ascii')
  head.writeUInt32LE(payload.length, 16)
  return Buffer.concat([head, payload])
}

/** WebP header bytes in each of the three layouts. */
export function makeWebpHeader(width: number, height: number, layout: 'VP8' | 'VP8L' | 'VP8X'): Buffer {
  const payload = Buffer.alloc(16)
  if (layout === 'VP8') {
    payload.set([0x9d, 0x01, 0x2a], 3)
    payload.writeUInt16LE(width, 6)
    payload.writeUInt16LE(height, 8)
    return riff('VP8 ', payload)
  }
  if (layout === 'VP8L') {
    payload[0] = 0x2f
    payload.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 1)
    return riff('VP8L', payload)
  }
  payload.writeUIntLE(width - 1, 4, 3)
  payload.writeUIntLE(height - 1, 7, 3)
  return riff('VP8X', payload)
}

export function toDataUrl(bytes: Buffer, mime: string): string {
  return `data:${mime};base64,${bytes.toString('base64')}`
}
