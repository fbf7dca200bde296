import { writeFile } from 'node:fs/promises'
import { crc32, deflateSync } from 'node:zlib'

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A valid 8-bit RGB PNG whose pixels depend on `seed` (colour gradients and a seed-placed
 * block), so every seed gives different image content and a different prepared-image hash.
 */
export function pngBytes(width: number, height: number, seed: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  const row = 1 + width * 3
  const pixels = Buffer.alloc(row * height)
  const blockX = (seed * 37) % Math.max(1, width - 32)
  const blockY = (seed * 53) % Math.max(1, height - 32)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBlock = x >= blockX && x < blockX + 32 && y >= blockY && y < blockY + 32
      const offset = y * row + 1 + x * 3
      pixels[offset] = inBlock ? 255 - (seed % 256) : (x + seed * 3) & 255
      pixels[offset + 1] = inBlock ? (seed * 7) & 255 : (y + seed * 5) & 255
      pixels[offset + 2] = ((x + y) >> 1) & 255
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

export const writePng = (path: string, width: number, height: number, seed: number) =>
  writeFile(path, pngBytes(width, height, seed))
