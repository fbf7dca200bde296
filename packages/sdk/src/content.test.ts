import { describe, expect, it } from 'vitest'
import { mediaFirst, readPreparedMedia, renderTemplate } from './content.js'
import type { ImageRef, PreparedMedia } from './media.js'

const image: ImageRef = {
  kind: 'image',
  hash: 'h',
  mime: 'image/jpeg',
  width: 28,
  height: 28,
  source: '/a.jpg',
  policy: 'p',
}

describe('mediaFirst', () => {
  it('puts the image before the text so prompts about one image share a prefix', () => {
    const media: PreparedMedia = { modality: 'image', image, originalWidth: 100, originalHeight: 100 }
    expect(mediaFirst(media, 'Describe.')).toEqual([
      { type: 'image', image },
      { type: 'text', text: 'Describe.' },
    ])
  })

  it('sends a video as one part and text alone without media', () => {
    const video = {
      kind: 'video' as const,
      source: '/v.mp4',
      durationSeconds: 3,
      width: 854,
      height: 480,
      fps: 25,
      frames: [image],
    }
    expect(mediaFirst({ modality: 'video', video, originalWidth: 854, originalHeight: 480 }, 'x')[0]).toEqual({
      type: 'video',
      video,
    })
    expect(mediaFirst(undefined, 'x')).toEqual([{ type: 'text', text: 'x' }])
  })
})

describe('renderTemplate', () => {
  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(renderTemplate('{{ role }} sees {{domain}} {{nope}}', { role: 'ocr', domain: 'ui' })).toBe(
      'ocr sees ui {{nope}}',
    )
  })
})

describe('readPreparedMedia', () => {
  const view = (value: unknown) => ({ get: () => value }) as never
  it('returns prepared media and refuses anything else with a hint', () => {
    const media: PreparedMedia = { modality: 'image', image, originalWidth: 1, originalHeight: 1 }
    expect(readPreparedMedia(view(media), 'media')).toBe(media)
    expect(() => readPreparedMedia(view(undefined), 'media')).toThrow(
      expect.objectContaining({ code: 'DATAFLOW_INPUT_INVALID', hint: expect.stringContaining('media node') }),
    )
    expect(() => readPreparedMedia(view({ modality: 'image' }), 'media')).toThrow(
      /no prepared image or video at "media"/,
    )
  })
})
