import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { describeDecodeError, isCutShort } from './media-errors.js'

const fixture = (name: string) => readFile(new URL(`../../../data/fixtures/bad-media/${name}`, import.meta.url))

describe('describeDecodeError', () => {
  // Regression: libvips sometimes reports a cut-short JPEG as "Unknown error"; the reason must not depend on its wording.
  it('calls a cut-short JPEG truncated whatever libvips says', async () => {
    const truncated = await fixture('truncated.jpg')
    expect(isCutShort(truncated)).toBe(true)
    expect(describeDecodeError(new Error('Unknown error'), truncated)).toMatch(/^the image data is truncated/)
  })

  it('keeps "corrupt" for complete files that fail to decode, and reads libvips wording without bytes', async () => {
    const png = await fixture('corrupt.png')
    expect(isCutShort(png)).toBe(false)
    expect(describeDecodeError(new Error('Unknown error'), png)).toMatch(/^the image data is corrupt/)
    expect(describeDecodeError(new Error('VipsJpeg: Premature end of JPEG file'))).toMatch(/truncated/)
    expect(describeDecodeError(new Error('Input buffer contains unsupported image format'))).toBe(
      'the content is not a supported image format',
    )
  })

  // Regression: libvips' error buffer is shared by threads; a corrupt PNG failed while a truncated
  // JPEG was decoded at the same time, and the PNG was called truncated from the JPEG's line.
  it("ignores the lines of another format's loader", async () => {
    const png = await fixture('corrupt.png')
    const mixed = new Error('vipspng: libpng read error\nVipsJpeg: premature end of JPEG image')
    expect(describeDecodeError(mixed, png)).toBe(
      'the image data is corrupt and cannot be decoded: vipspng: libpng read error',
    )
  })
})
