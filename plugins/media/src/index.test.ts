import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { MediaTools, PreparedMedia } from '@dataflow/sdk'
import { runNode, type TestItem, type TestOutcome } from '@dataflow/sdk/testing'
// The real media tools, as the engine injects them; the plugin itself depends on @dataflow/sdk only.
import { createMediaTools } from '@dataflow/media'
import mediaNode from './index.js'

const data = fileURLToPath(new URL('../../../data/', import.meta.url))
const sample = (path: string) => join(data, 'sample', path)
const fixture = (name: string) => join(data, 'fixtures/bad-media', name)
const item = (media: string, extra: Record<string, unknown> = {}): TestItem => ({ item: { media, ...extra } })

/** The node's output of a done outcome (runNode returns outputs untyped); fails on any other outcome. */
function preparedOf(outcome: TestOutcome | undefined): PreparedMedia {
  if (outcome?.status !== 'done') throw new Error(`expected a done outcome, got ${JSON.stringify(outcome)}`)
  return outcome.output as unknown as PreparedMedia
}

describe('@dataflow/plugin-media with the real media tools', () => {
  const media = createMediaTools()
  afterAll(() => media.close())

  it('prepares an image: reference, modality and original size', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      items: [item(sample('images/natural/mountain-lake-sunset.jpg'), { modality: 'image' })],
    })
    expect(outcome).toMatchObject({ status: 'done' })
    const output = preparedOf(outcome)
    expect(output).toMatchObject({ modality: 'image', originalWidth: 1280, originalHeight: 853 })
    expect(output.image).toMatchObject({
      kind: 'image',
      mime: 'image/jpeg',
      width: 1204,
      height: 812,
      source: sample('images/natural/mountain-lake-sunset.jpg'),
    })
    expect((await media.readImage(output.image!)).byteLength).toBeGreaterThan(1000)
  })

  it('reports the upright size of a sideways-stored phone photo', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      items: [item(sample('images/natural/forest-path-portrait.jpg'))],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { originalWidth: 756, originalHeight: 1008 } })
  })

  it('passes the resize settings on', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      config: { maxPixels: 200704, format: 'png' },
      items: [item(sample('images/charts/quarterly-revenue-bar.png'))],
    })
    const image = preparedOf(outcome).image!
    expect(image.mime).toBe('image/png')
    expect(image.width * image.height).toBeLessThanOrEqual(200704)
    expect((image.width % 28) + (image.height % 28)).toBe(0)
  })

  it('prepares a video as frames, guessing the modality from the extension when the item has none', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      config: { frames: 4 },
      items: [item(sample('videos/testcard-480p.mp4'))],
    })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { modality: 'video', originalWidth: 854, originalHeight: 480 },
    })
    const video = preparedOf(outcome).video!
    expect(video.frames.map((frame) => frame.timestamp)).toEqual([0.375, 1.125, 1.875, 2.625])
    for (const frame of video.frames) expect(frame.width * frame.height).toBeLessThanOrEqual(602112)
  })

  it('rejects videos below 480p by default, with the numbers', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      items: [item(sample('videos/life-240p.mp4'), { modality: 'video' })],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'rejected',
      reason: 'video is 240p (320x240), below minVideoHeight 480p',
      details: { width: 320, height: 240, resolution: 240, minVideoHeight: 480 },
    })
  })

  it('keeps them with minVideoHeight: 0', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      config: { minVideoHeight: 0 },
      items: [item(sample('videos/life-240p.mp4'))],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { modality: 'video', originalHeight: 240 } })
  })

  it("applies the paper's image filters only when configured", async () => {
    const items = [
      item(sample('images/web/meadow-thumbnail.jpg')),
      item(sample('images/web/valley-panorama.jpg')),
      item(sample('images/web/login-form.png')),
    ]
    const byDefault = await runNode(mediaNode, { media, items })
    expect(byDefault.map((outcome) => outcome.status)).toEqual(['done', 'done', 'done'])

    const filtered = await runNode(mediaNode, { media, config: { minShortEdge: 512, maxAspectRatio: 2 }, items })
    expect(filtered[0]).toMatchObject({
      status: 'rejected',
      reason: 'image short edge is 360 px, below minShortEdge 512',
      details: { shortEdge: 360 },
    })
    expect(filtered[1]).toMatchObject({
      status: 'rejected',
      reason: 'image aspect ratio is 4.00:1 (2400x600), above maxAspectRatio 2',
      details: { aspectRatio: 4 },
    })
    expect(filtered[2]).toMatchObject({ status: 'done' })
  })

  it('filters from the header: a rejected image is never decoded', async () => {
    const tools = createMediaTools()
    await runNode(mediaNode, {
      media: tools,
      config: { maxAspectRatio: 2 },
      items: [item(sample('images/web/valley-panorama.jpg'))],
    })
    expect(tools.stats().decodes).toBe(0)
    await tools.close()
  })

  it('turns undecodable media into error records with the reason', async () => {
    const outcomes = await runNode(mediaNode, {
      media,
      items: [
        item(fixture('truncated.jpg')),
        item(fixture('not-an-image.jpg')),
        item(fixture('audio-only.mp4')),
        item(fixture('missing.png')),
      ],
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['error', 'error', 'error', 'error'])
    const errors = outcomes.map((outcome) => (outcome.status === 'error' ? outcome.error : undefined))
    expect(errors[0]).toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      details: { reason: expect.stringMatching(/truncated/) },
    })
    expect(errors[1]).toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      details: { reason: expect.stringMatching(/contains text/) },
    })
    expect(errors[2]).toMatchObject({
      code: 'DATAFLOW_MEDIA_INVALID',
      details: { reason: 'the file has no video stream (found: audio)' },
    })
    expect(errors[3]).toMatchObject({ code: 'DATAFLOW_INPUT_NOT_FOUND' })
  })

  it('says which field is missing or malformed', async () => {
    const outcomes = await runNode(mediaNode, {
      media,
      items: [{ item: {} }, item(fixture('image.webp'), { modality: 'audio' })],
    })
    expect(outcomes[0]).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_INPUT_INVALID', message: expect.stringMatching(/no media path at "item.media"/) },
    })
    expect(outcomes[1]).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_INPUT_INVALID', message: expect.stringMatching(/expected "image" or "video"/) },
    })
  })

  it('reads the path and modality from configured fields', async () => {
    const [outcome] = await runNode(mediaNode, {
      media,
      config: { path: 'item.file', modality: 'item.kind' },
      items: [{ item: { file: fixture('café crème – photo 1.jpg'), kind: 'IMAGE' } }],
    })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { modality: 'image', originalWidth: 160, originalHeight: 120 },
    })
  })

  it('works with media tools that lack probeImage, filtering on the prepared size', async () => {
    const tools = createMediaTools()
    const withoutProbe: MediaTools = {
      prepareImage: tools.prepareImage.bind(tools),
      probeVideo: tools.probeVideo.bind(tools),
      prepareVideo: tools.prepareVideo.bind(tools),
      readImage: tools.readImage.bind(tools),
    }
    const outcomes = await runNode(mediaNode, {
      media: withoutProbe,
      config: { maxAspectRatio: 2 },
      items: [item(sample('images/web/valley-panorama.jpg')), item(fixture('image.webp'))],
    })
    expect(outcomes[0]).toMatchObject({ status: 'rejected' })
    // Sent as it is: the prepared size is the file's.
    expect(outcomes[1]).toMatchObject({ status: 'done', output: { originalWidth: 96, originalHeight: 64 } })
    await tools.close()
  })

  it('records in the item whether the image was sent as it is or encoded, and why', async () => {
    const outcomes = await runNode(mediaNode, {
      media,
      items: [
        item(sample('images/natural/coastline.jpg')),
        item(sample('images/natural/mountain-lake-sunset.jpg')),
        item(fixture('animated.gif')),
      ],
    })
    const images = outcomes.map((outcome) => preparedOf(outcome).image)
    expect(images[0]).toMatchObject({ sent: 'original', changes: [], mime: 'image/jpeg', width: 1200, height: 800 })
    expect(images[1]).toMatchObject({ sent: 'encoded', changes: ['resize'], width: 1204, height: 812 })
    expect(images[2]).toMatchObject({
      sent: 'encoded',
      changes: ['format', 'animation'],
      frames: { used: 1, present: 3 },
    })
  })

  it('passes sendOriginal, decoderWarnings and svg on', async () => {
    const [encoded, recovered, svg] = await runNode(mediaNode, {
      media,
      config: { sendOriginal: false, decoderWarnings: 'ignore', svg: 'rasterize' },
      items: [
        item(sample('images/natural/coastline.jpg')),
        item(fixture('corrupt-scan.jpg')),
        item(fixture('drawing.svg')),
      ],
    })
    expect(encoded).toMatchObject({
      status: 'done',
      output: { image: { sent: 'encoded', changes: ['policy', 'resize'] } },
    })
    expect(recovered).toMatchObject({ status: 'done' })
    expect(svg).toMatchObject({ status: 'done', output: { image: { changes: ['policy', 'resize', 'format'] } } })
  })

  it('makes error records of a JPEG with corrupt scan data and of SVG files, by default', async () => {
    const outcomes = await runNode(mediaNode, {
      media,
      items: [item(fixture('corrupt-scan.jpg')), item(fixture('drawing.svg')), item(fixture('entities.svg'))],
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['error', 'error', 'error'])
    const reasons = outcomes.map((outcome) => (outcome.status === 'error' ? outcome.error.details?.['reason'] : ''))
    expect(reasons[0]).toMatch(/the JPEG decoder \(libjpeg\) reports damaged image data: ".*Corrupt JPEG data/)
    expect(reasons[1]).toMatch(/SVG is refused by default/)
    expect(reasons[2]).toMatch(/declares XML entities/)
  })

  it('refuses a config outside the schema', async () => {
    await expect(runNode(mediaNode, { media, config: { format: 'gif' }, items: [] })).rejects.toThrow(/invalid config/)
    await expect(runNode(mediaNode, { media, config: { frames: 0 }, items: [] })).rejects.toThrow(/invalid config/)
  })
})

describe('the whole sample dataset through the node', () => {
  it('prepares every item once: one decode per image, an encode only for those that must change', async () => {
    const metafile = JSON.parse(await readFile(sample('Metafile.json'), 'utf8')) as Record<
      string,
      { root: string; annotation: string; modality: string }
    >
    const items: TestItem[] = []
    for (const [dataset, entry] of Object.entries(metafile)) {
      const records = JSON.parse(await readFile(sample(entry.annotation), 'utf8')) as Array<{
        id: number
        image?: string
        video?: string
      }>
      for (const record of records) {
        items.push({
          id: `${dataset}/${record.id}`,
          item: { media: sample(join(entry.root, record.image ?? record.video!)), modality: entry.modality },
        })
      }
    }
    const tools = createMediaTools()
    const outcomes = await runNode(mediaNode, { media: tools, config: { frames: 4 }, items })
    const images = outcomes.filter((outcome) => outcome.status === 'done' && preparedOf(outcome).image)
    expect(images).toHaveLength(26)
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.id)).toEqual([
      'video-clips/2',
    ])
    // Four agents reading each image's bytes cost no further decode.
    for (const outcome of images) {
      const ref = preparedOf(outcome).image!
      for (let agent = 0; agent < 4; agent++) await tools.readImage(ref)
    }
    const sent = images.map((outcome) => preparedOf(outcome).image!.sent)
    const originals = sent.filter((how) => how === 'original').length
    // 16 sample images are within Qwen2.5-VL's default budget, upright and sRGB: their own bytes go out.
    expect(originals).toBe(16)
    const stats = tools.stats()
    expect(stats.decodes).toBe(26 + 8) // 26 images, 2 videos x 4 frames
    expect(stats.encodes).toBe(26 - originals + 8)
    expect(stats.originals).toBe(originals)
    expect(stats.cacheHits).toBe(26 * 4)
    await tools.close()
  })
})
