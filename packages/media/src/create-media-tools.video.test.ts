import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { isDataflowError, type ErrorCode } from '@dataflow/sdk'
import { createMediaTools } from './create-media-tools.js'
import { resolveFfmpegBinaries } from './resolve-ffmpeg-binaries.js'

const fixtures = fileURLToPath(new URL('../../../data/fixtures/bad-media/', import.meta.url))
const videos = fileURLToPath(new URL('../../../data/sample/videos/', import.meta.url))
const testcard = join(videos, 'testcard-480p.mp4')

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: ErrorCode; reason: string; message: string; hint: string }> {
  try {
    await promise
  } catch (error) {
    if (!isDataflowError(error)) throw error
    return {
      code: error.code,
      reason: typeof error.details?.['reason'] === 'string' ? error.details['reason'] : '',
      message: error.message,
      hint: error.hint ?? '',
    }
  }
  throw new Error('expected a DataflowError')
}

describe('probeVideo (real ffprobe)', () => {
  const tools = createMediaTools()
  afterAll(() => tools.close())

  it('reads duration, size, fps and codec', async () => {
    expect(await tools.probeVideo(testcard)).toEqual({
      durationSeconds: 3,
      width: 854,
      height: 480,
      fps: 25,
      codec: 'h264',
      hasVideo: true,
    })
    expect(await tools.probeVideo(join(videos, 'life-240p.mp4'))).toMatchObject({
      width: 320,
      height: 240,
      fps: 10,
      durationSeconds: 2,
    })
  })

  it('refuses a file with no video stream, saying what it found', async () => {
    const result = await failure(tools.probeVideo(join(fixtures, 'audio-only.mp4')))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.reason).toBe('the file has no video stream (found: audio)')
  })

  it("refuses a file that is not a video, with ffprobe's own reason", async () => {
    const result = await failure(tools.probeVideo(join(fixtures, 'garbage.mp4')))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.reason).toMatch(/not a readable video \(ffprobe: Invalid data found when processing input\)/)
  })

  it('refuses a still image: it has no duration', async () => {
    const result = await failure(tools.probeVideo(join(fixtures, 'cmyk.jpg')))
    expect(result.reason).toMatch(/has no duration/)
  })

  it('a missing file is DATAFLOW_INPUT_NOT_FOUND, an empty one DATAFLOW_MEDIA_INVALID', async () => {
    expect((await failure(tools.probeVideo(join(videos, 'missing.mp4')))).code).toBe('DATAFLOW_INPUT_NOT_FOUND')
    expect((await failure(tools.probeVideo(join(fixtures, 'zero-byte.jpg')))).reason).toMatch(/empty/)
  })

  it('probes each file once', async () => {
    const before = tools.stats().probes
    await Promise.all([tools.probeVideo(testcard), tools.probeVideo(testcard)])
    expect(tools.stats().probes).toBe(before)
  })
})

describe('prepareVideo (real ffmpeg)', () => {
  it('samples frames uniformly, never faster than maxFps, each resized like an image', async () => {
    const tools = createMediaTools()
    const video = await tools.prepareVideo(testcard, { frames: 8, maxFps: 2, maxPixels: 200704 })
    expect(video).toMatchObject({
      kind: 'video',
      source: testcard,
      durationSeconds: 3,
      width: 854,
      height: 480,
      fps: 25,
    })
    // 3 s at 2 fps at most: 6 frames, not 8.
    expect(video.frames.map((frame) => frame.timestamp)).toEqual([0.25, 0.75, 1.25, 1.75, 2.25, 2.75])
    for (const frame of video.frames) {
      expect(frame).toMatchObject({
        kind: 'image',
        mime: 'image/jpeg',
        source: testcard,
        sent: 'encoded',
        changes: ['frame', 'resize'],
      })
      expect(frame.width % 28 === 0 && frame.height % 28 === 0).toBe(true)
      expect(frame.width * frame.height).toBeLessThanOrEqual(200704)
      const bytes = await tools.readImage(frame)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(frame.hash)
      expect((await sharp(bytes).metadata()).width).toBe(frame.width)
    }
    // The test card's timecode changes: every sampled frame differs.
    expect(new Set(video.frames.map((frame) => frame.hash)).size).toBe(6)
    expect(tools.stats()).toMatchObject({ frameExtractions: 1, framesExtracted: 6, decodes: 6, encodes: 6, probes: 1 })
    await tools.close()
  })

  it('encodes a frame within the pixel bounds at the size of the video', async () => {
    const tools = createMediaTools()
    const video = await tools.prepareVideo(testcard, { frames: 1, maxPixels: 602112 })
    expect(video.frames[0]).toMatchObject({ width: 854, height: 480, sent: 'encoded', changes: ['frame'] })
    await tools.close()
  })

  it('takes fewer frames when asked, spread over the whole clip', async () => {
    const tools = createMediaTools()
    const video = await tools.prepareVideo(join(videos, 'valley-pan-480p.mp4'), { frames: 3 })
    expect(video.frames.map((frame) => frame.timestamp)).toEqual([0.5, 1.5, 2.5])
    await tools.close()
  })

  it('runs ffmpeg once for concurrent and repeated preparations of the same clip and policy', async () => {
    const tools = createMediaTools()
    const [first, second] = await Promise.all([tools.prepareVideo(testcard), tools.prepareVideo(testcard)])
    const third = await tools.prepareVideo(testcard)
    expect(second).toEqual(first)
    expect(third).toEqual(first)
    expect(tools.stats()).toMatchObject({ frameExtractions: 1, dedupedCalls: 1, cacheHits: 1 })
    await tools.close()
  })

  it('rebuilds an evicted frame from the video with the same bytes', async () => {
    const tools = createMediaTools({ cacheBytes: 1 }) // nothing is held
    const video = await tools.prepareVideo(testcard, { frames: 2 })
    const frame = video.frames[1]!
    const bytes = await tools.readImage(frame)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(frame.hash)
    expect(tools.stats()).toMatchObject({ rebuilds: 1, frameExtractions: 2 })
    await tools.close()
  })

  it('applies the display rotation of phone videos to the size and the frames', async () => {
    const tools = createMediaTools()
    const video = await tools.prepareVideo(join(fixtures, 'rotated-phone.mp4'), { frames: 1 })
    expect(video).toMatchObject({ width: 180, height: 320 })
    expect(video.frames[0]!.height).toBeGreaterThan(video.frames[0]!.width)
    await tools.close()
  })

  it('refuses an audio-only file', async () => {
    const tools = createMediaTools()
    const result = await failure(tools.prepareVideo(join(fixtures, 'audio-only.mp4')))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.reason).toMatch(/no video stream/)
    await tools.close()
  })

  it('refuses an invalid frame policy', async () => {
    const tools = createMediaTools()
    expect((await failure(tools.prepareVideo(testcard, { frames: 0 }))).code).toBe('DATAFLOW_CONFIG_INVALID')
    await tools.close()
  })
})

describe('finding ffmpeg', () => {
  it('uses PATH first', async () => {
    const binaries = await resolveFfmpegBinaries()
    expect(binaries.origins).toEqual({ ffmpeg: 'path', ffprobe: 'path' })
  })

  it('falls back to the installer packages when PATH has none', async () => {
    const binaries = await resolveFfmpegBinaries({ searchPath: '' })
    expect(binaries.origins).toEqual({ ffmpeg: 'package', ffprobe: 'package' })
    expect(binaries.ffmpeg).toMatch(/@ffmpeg-installer/)
  })

  it('says how to install ffmpeg when there is none anywhere', async () => {
    const result = await failure(
      resolveFfmpegBinaries({ searchPath: '', importPackage: () => Promise.reject(new Error('not installed')) }),
    )
    expect(result.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(result.message).toMatch(/ffmpeg was not found|ffprobe was not found/)
    expect(result.hint).toMatch(/apt-get install ffmpeg/)
  })

  it('refuses an explicit path that is not an executable', async () => {
    const result = await failure(resolveFfmpegBinaries({ ffmpegPath: join(fixtures, 'cmyk.jpg') }))
    expect(result.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(result.message).toMatch(/ffmpegPath ".*cmyk.jpg" is not an executable file/)
  })

  it('video calls of tools without ffmpeg fail with the install hint; image calls still work', async () => {
    const tools = createMediaTools({ ffmpegPath: '/nonexistent/ffmpeg' })
    expect((await failure(tools.probeVideo(testcard))).hint).toMatch(/apt-get install ffmpeg/)
    await expect(tools.prepareImage(join(fixtures, 'image.webp'))).resolves.toMatchObject({ kind: 'image' })
    await tools.close()
  })
})
