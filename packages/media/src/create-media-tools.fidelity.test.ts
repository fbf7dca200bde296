import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDataflowError, type ImagePolicy } from '@dataflow/sdk'
import { createMediaTools } from './create-media-tools.js'
import { resolveImagePolicy, toPolicyKey } from './image-policy.js'

const fixtures = fileURLToPath(new URL('../../../data/fixtures/bad-media/', import.meta.url))
const fixture = (name: string) => join(fixtures, name)
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (!isDataflowError(error)) throw error
    return { code: error.code, message: error.message, details: error.details ?? {} }
  }
  throw new Error('expected a DataflowError')
}

/** Small text-like stripes on white: what OCR agents read and a second JPEG compression blurs. */
function page(width: number, height: number, channels: 3 | 4 = 3) {
  const lines = Array.from(
    { length: Math.floor(height / 24) },
    (_, i) => `<rect x="20" y="${12 + i * 24}" width="${width - 40 - (i % 5) * 30}" height="6" fill="#111"/>`,
  ).join('')
  return sharp({
    create: { width, height, channels, background: channels === 4 ? { r: 255, g: 255, b: 255, alpha: 1 } : '#fff' },
  }).composite([{ input: Buffer.from(`<svg width="${width}" height="${height}">${lines}</svg>`) }])
}

let folder: string
const file = (name: string) => join(folder, name)
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dataflow-media-fidelity-'))
  await writeFile(file('photo-1000x700.jpg'), await page(1000, 700).jpeg({ quality: 92 }).toBuffer())
  await writeFile(file('screenshot-900x600.png'), await page(900, 600).png().toBuffer())
  await writeFile(file('picture-640x480.webp'), await page(640, 480).webp({ quality: 85 }).toBuffer())
  await writeFile(file('large-2000x1500.jpg'), await page(2000, 1500).jpeg().toBuffer())
  await writeFile(file('grey-800x600.jpg'), await page(800, 600).greyscale().toColourspace('b-w').jpeg().toBuffer())
  await writeFile(file('srgb-profile.jpg'), await page(600, 400).withIccProfile('srgb').jpeg().toBuffer())
  await writeFile(file('p3-profile.jpg'), await page(600, 400).withIccProfile('p3').jpeg().toBuffer())
  await writeFile(file('opaque-alpha.png'), await page(600, 400, 4).png().toBuffer())
  const frames = await Promise.all(
    ['#e63946', '#2a9d8f', '#264653'].map((background) =>
      sharp({ create: { width: 96, height: 64, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  )
  await writeFile(
    file('animated.webp'),
    await sharp(frames, { join: { animated: true } })
      .webp()
      .toBuffer(),
  )
  await writeFile(
    file('external.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="80">' +
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>' +
      '<rect width="120" height="80" fill="url(#g)"/><image href="file:///etc/hostname" width="10" height="10"/>' +
      '<image xlink:href="http://example.com/tracker.png" width="10" height="10"/></svg>',
  )
  await writeFile(
    file('small-entity.svg'),
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY word "hello">]>\n' +
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><text y="40">&word;</text></svg>',
  )
})
afterAll(() => rm(folder, { recursive: true, force: true }))

describe('images are sent as they are when they fit (issue 12, item 1)', () => {
  it.each([
    ['photo-1000x700.jpg', 'image/jpeg', 1000, 700],
    ['screenshot-900x600.png', 'image/png', 900, 600],
    ['picture-640x480.webp', 'image/webp', 640, 480],
  ])('%s: the file itself, hashed, at its own size (sides need not be multiples of 28)', async (name, mime, w, h) => {
    const tools = createMediaTools()
    const ref = await tools.prepareImage(file(name))
    const bytes = await readFile(file(name))
    expect(ref).toMatchObject({ mime, width: w, height: h, sent: 'original', changes: [], hash: sha256(bytes) })
    expect(Buffer.from(await tools.readImage(ref)).equals(bytes)).toBe(true)
    expect(ref.frames).toBeUndefined()
    // Validated by a full decode, never encoded.
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 0, originals: 1 })
    await tools.close()
  })

  it('encodes an image above the pixel budget, resized with sides multiples of 28, and says so', async () => {
    const tools = createMediaTools()
    const ref = await tools.prepareImage(file('large-2000x1500.jpg'))
    expect(ref).toMatchObject({ mime: 'image/jpeg', sent: 'encoded', changes: ['resize'], width: 1148, height: 840 })
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 1, originals: 0 })
    await tools.close()
  })

  it('sends grey images and sRGB-tagged ones as they are, and converts a Display P3 photo to sRGB', async () => {
    const tools = createMediaTools()
    expect(await tools.prepareImage(file('grey-800x600.jpg'))).toMatchObject({ sent: 'original' })
    expect(await tools.prepareImage(file('srgb-profile.jpg'))).toMatchObject({ sent: 'original' })
    const p3 = await tools.prepareImage(file('p3-profile.jpg'))
    expect(p3).toMatchObject({ sent: 'encoded', changes: ['colour'], width: 600, height: 400 })
    const metadata = await sharp(await tools.readImage(p3)).metadata()
    expect(metadata).toMatchObject({ format: 'jpeg', space: 'srgb' })
    await tools.close()
  })

  it('sends a PNG whose alpha channel is opaque everywhere as it is; see-through pixels are flattened for JPEG only', async () => {
    const tools = createMediaTools()
    expect(await tools.prepareImage(file('opaque-alpha.png'))).toMatchObject({ sent: 'original', mime: 'image/png' })
    expect(await tools.prepareImage(fixture('alpha.png'))).toMatchObject({ sent: 'encoded', changes: ['transparency'] })
    expect(await tools.prepareImage(fixture('alpha.png'), { format: 'png' })).toMatchObject({
      sent: 'original',
      mime: 'image/png',
    })
    await tools.close()
  })

  it('encodes every image with sendOriginal: false', async () => {
    const tools = createMediaTools()
    const ref = await tools.prepareImage(file('screenshot-900x600.png'), { sendOriginal: false })
    // The earlier behaviour: smart_resize's size (multiples of 28) and the policy's format.
    expect(ref).toMatchObject({ sent: 'encoded', changes: ['policy', 'resize'], mime: 'image/jpeg' })
    expect([ref.width % 28, ref.height % 28]).toEqual([0, 0])
    await tools.close()
  })

  it('rebuilds the bytes of a reference whose policy key predates sendOriginal (an older run journal)', async () => {
    const earlier: ImagePolicy = { sendOriginal: false, decoderWarnings: 'ignore', svg: 'rasterize' }
    const made = await createMediaTools().prepareImage(file('photo-1000x700.jpg'), earlier)
    const oldKey = toPolicyKey(resolveImagePolicy(earlier)).replace(/&sendOriginal=.*$/, '')
    expect(oldKey).not.toContain('sendOriginal')
    const tools = createMediaTools({ cacheBytes: 1 }) // nothing held: reading rebuilds from the key
    const bytes = await tools.readImage({ ...made, policy: oldKey })
    expect(sha256(bytes)).toBe(made.hash)
    await tools.close()
  })
})

describe('decoder warnings are errors by default (issue 12, item 2)', () => {
  const corrupt = fixture('corrupt-scan.jpg') // fine headers and end marker, noise for scan data

  it('the header of the corrupt JPEG is fine: only a full decode finds the damage', async () => {
    const tools = createMediaTools()
    expect(await tools.probeImage(corrupt)).toEqual({ width: 320, height: 240, format: 'jpeg', pages: 1 })
    await tools.close()
  })

  it.each([
    ['would be sent as it is', {}],
    ['would be resized', { maxPixels: 20000 }],
    ['would be converted', { format: 'png' as const, sendOriginal: false }],
  ])('refuses it when it %s, naming the decoder, its warning and the file', async (_, policy) => {
    const tools = createMediaTools()
    const result = await failure(tools.prepareImage(corrupt, policy))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.message).toContain(corrupt)
    expect(result.message).toMatch(/the JPEG decoder \(libjpeg\) reports damaged image data: ".*Corrupt JPEG data/)
    expect(result.message).toMatch(/decoderWarnings: ignore/)
    expect(result.details).toMatchObject({ path: corrupt, decoder: 'the JPEG decoder (libjpeg)' })
    await tools.close()
  })

  it('uses what the decoder recovers with decoderWarnings: ignore', async () => {
    const tools = createMediaTools()
    expect(await tools.prepareImage(corrupt, { decoderWarnings: 'ignore' })).toMatchObject({ sent: 'original' })
    expect(await tools.prepareImage(corrupt, { decoderWarnings: 'ignore', maxPixels: 20000 })).toMatchObject({
      sent: 'encoded',
      changes: ['resize'],
    })
    await tools.close()
  })

  it('still reports undecodable data as corrupt, not as a warning', async () => {
    const tools = createMediaTools()
    const result = await failure(tools.prepareImage(fixture('corrupt.png')))
    expect(result.message).toMatch(/corrupt and cannot be decoded/)
    expect(result.details['decoder']).toBeUndefined()
    await tools.close()
  })
})

describe('SVG (issue 12, item 3)', () => {
  it('refuses an SVG drawing by default, saying how to opt in', async () => {
    const tools = createMediaTools()
    const result = await failure(tools.prepareImage(fixture('drawing.svg')))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.message).toMatch(/is an SVG drawing, and SVG is refused by default/)
    expect(result.message).toMatch(/svg: rasterize/)
    expect(tools.stats().decodes).toBe(0)
    await tools.close()
  })

  it('rasterises it with svg: rasterize', async () => {
    const tools = createMediaTools()
    const ref = await tools.prepareImage(fixture('drawing.svg'), { svg: 'rasterize' })
    expect(ref).toMatchObject({ mime: 'image/jpeg', width: 120, height: 80, sent: 'encoded', changes: ['format'] })
    await tools.close()
  })

  it.each([
    ['entities.svg', 'a billion-laughs SVG the XML parser gives up on'],
    ['small-entity.svg', 'an SVG with one harmless-looking entity'],
  ])('reports %s (%s) as an SVG with XML entities, whatever the policy, not as a text file', async (name) => {
    const tools = createMediaTools()
    const path = name === 'entities.svg' ? fixture(name) : file(name)
    const attempts: Array<() => Promise<unknown>> = [
      () => tools.prepareImage(path),
      () => tools.prepareImage(path, { svg: 'rasterize' }),
    ]
    // The header reader fails on the first one too: it says why.
    if (name === 'entities.svg') attempts.push(() => tools.probeImage(path))
    for (const attempt of attempts) {
      const result = await failure(attempt())
      expect(result.message).toMatch(/is an SVG that declares XML entities/)
      expect(result.message).not.toMatch(/contains text/)
    }
    await tools.close()
  })

  it('refuses to rasterise an SVG that refers to files or URLs, listing them', async () => {
    const tools = createMediaTools()
    const result = await failure(tools.prepareImage(file('external.svg'), { svg: 'rasterize' }))
    expect(result.message).toMatch(/refers to outside content \("file:\/\/\/etc\/hostname", "http:\/\/example.com/)
    expect(result.details['externalReferences']).toEqual(['file:///etc/hostname', 'http://example.com/tracker.png'])
    await tools.close()
  })
})

describe('animated images (issue 12, item 4)', () => {
  it.each([
    ['a GIF', fixture('animated.gif'), ['format', 'animation']],
    ['a WebP', 'animated.webp', ['animation']],
  ])('the reference of %s says which frames were used out of how many', async (_, name, changes) => {
    const tools = createMediaTools()
    const ref = await tools.prepareImage(name.startsWith('/') ? name : file(name))
    expect(ref).toMatchObject({ sent: 'encoded', changes, frames: { used: 1, present: 3 } })
    // The first frame: red.
    const { data } = await sharp(await tools.readImage(ref))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect(data[0]).toBeGreaterThan(200)
    await tools.close()
  })
})
