import { describe, expect, it } from 'vitest'
import { readImageSize } from './image-size.js'
import { makeJpegHeader, makePng, makeWebpHeader } from './test-support/images.js'

describe('readImageSize', () => {
  it('reads a real PNG', () => {
    expect(readImageSize(makePng(300, 200))).toEqual({ width: 300, height: 200 })
  })

  it('reads a JPEG frame header after APP0 and a large APP1 (EXIF) segment', () => {
    expect(readImageSize(makeJpegHeader(1920, 1080, 30_000))).toEqual({ width: 1920, height: 1080 })
  })

  it.each(['VP8', 'VP8L', 'VP8X'] as const)('reads a WebP %s header', (layout) => {
    expect(readImageSize(makeWebpHeader(640, 480, layout))).toEqual({ width: 640, height: 480 })
  })

  it('reads a GIF header', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.from([0x40, 0x01, 0xf0, 0x00]), Buffer.alloc(8)])
    expect(readImageSize(gif)).toEqual({ width: 320, height: 240 })
  })

  it('returns undefined for other or truncated data', () => {
    expect(readImageSize(Buffer.from('not an image at all'))).toBeUndefined()
    expect(readImageSize(makePng(10, 10).subarray(0, 20))).toBeUndefined()
    expect(readImageSize(makeJpegHeader(10, 10).subarray(0, 30))).toBeUndefined()
    expect(readImageSize(Buffer.alloc(0))).toBeUndefined()
  })
})
