import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isDataflowError, type ErrorCode } from '@dataflow/sdk'
import { createMediaTools } from './create-media-tools.js'

const fixtures = fileURLToPath(new URL('../../../data/fixtures/bad-media/', import.meta.url))
const sample = fileURLToPath(new URL('../../../data/sample/images/', import.meta.url))
const fixture = (name: string) => join(fixtures, name)

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: ErrorCode; reason: string; message: string; details: Record<string, unknown> }> {
  try {
    await promise
  } catch (error) {
    if (!isDataflowError(error)) throw error
    return {
      code: error.code,
      reason: typeof error.details?.['reason'] === 'string' ? error.details['reason'] : '',
      message: error.message,
      details: error.details ?? {},
    }
  }
  throw new Error('expected a DataflowError')
}

describe('prepareImage on broken files', () => {
  const tools = createMediaTools()
  afterAll(() => tools.close())

  it.each([
    ['zero-byte.jpg', /the file is empty \(0 bytes\)/],
    ['truncated.jpg', /truncated \(the file was cut short\)/],
    ['corrupt.png', /corrupt and cannot be decoded/],
    ['not-an-image.jpg', /contains text, not an image/],
    ['bomb-50000x50000.png', /claims 50000x50000 pixels \(2\.5 gigapixels\).*decompression-bomb guard/],
    ['extreme-aspect-2100x10.png', /aspect ratio of 210\.0:1, beyond the 200:1/],
    ['audio-only.mp4', /not a supported image format/],
  ])('%s -> DATAFLOW_MEDIA_INVALID with a reason', async (name, reason) => {
    const result = await failure(tools.prepareImage(fixture(name)))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.reason).toMatch(reason)
    expect(result.message).toContain(fixture(name))
    expect(result.details['path']).toBe(fixture(name))
  })

  it('checks the decompression bomb from the header, without decoding it', async () => {
    const before = tools.stats().decodes
    await failure(tools.prepareImage(fixture('bomb-50000x50000.png')))
    expect(tools.stats().decodes).toBe(before)
  })

  it('probeImage gives the same reasons from the file header', async () => {
    expect((await failure(tools.probeImage(fixture('not-an-image.jpg')))).reason).toMatch(/contains text, not an image/)
    expect((await failure(tools.probeImage(fixture('zero-byte.jpg')))).reason).toMatch(/empty/)
    expect((await failure(tools.probeImage(fixture('audio-only.mp4')))).reason).toMatch(/not a supported image format/)
    expect(await tools.probeImage(fixture('bomb-50000x50000.png'))).toEqual({
      width: 50000,
      height: 50000,
      format: 'png',
      pages: 1,
    })
  })

  it('a missing file is DATAFLOW_INPUT_NOT_FOUND', async () => {
    const result = await failure(tools.prepareImage(fixture('no-such-file.jpg')))
    expect(result.code).toBe('DATAFLOW_INPUT_NOT_FOUND')
    expect(result.message).toMatch(/does not exist/)
  })

  it('a folder is DATAFLOW_MEDIA_INVALID', async () => {
    expect((await failure(tools.prepareImage(fixtures))).reason).toMatch(/folder, not a file/)
  })

  it('an invalid policy is DATAFLOW_CONFIG_INVALID before the file is read', async () => {
    expect((await failure(tools.prepareImage(fixture('zero-byte.jpg'), { maxPixels: 10 }))).code).toBe(
      'DATAFLOW_CONFIG_INVALID',
    )
  })

  it('a raised maxAspectRatio lets an elongated image through', async () => {
    const ref = await tools.prepareImage(fixture('extreme-aspect-2100x10.png'), { maxAspectRatio: 300 })
    expect(ref.width % 28).toBe(0)
    expect(ref.height).toBe(28)
  })
})

describe('prepareImage on unusual but valid files', () => {
  const tools = createMediaTools()
  afterAll(() => tools.close())

  const pixel = async (bytes: Uint8Array, x: number, y: number) => {
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
    const offset = (y * info.width + x) * info.channels
    return [...data.subarray(offset, offset + 3)]
  }

  it.each([
    ['animated.gif', ['format', 'animation']],
    ['deep-16bit.png', ['colour']],
    ['cmyk.jpg', ['colour']],
    ['image.avif', ['format']],
    ['alpha.png', ['transparency']],
    ['tiny-10x10.png', ['resize']],
  ])('%s is encoded as an 8-bit sRGB JPEG within the budget, and the reference says why', async (name, changes) => {
    const ref = await tools.prepareImage(fixture(name))
    const bytes = await tools.readImage(ref)
    const metadata = await sharp(bytes).metadata()
    expect(ref).toMatchObject({ kind: 'image', mime: 'image/jpeg', source: fixture(name), sent: 'encoded', changes })
    expect(metadata).toMatchObject({
      format: 'jpeg',
      width: ref.width,
      height: ref.height,
      space: 'srgb',
      channels: 3,
      depth: 'uchar',
    })
    expect(ref.width * ref.height).toBeGreaterThanOrEqual(3136)
    expect(ref.hash).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('keeps the size of an image within the pixel bounds when it converts it, and resizes one outside them', async () => {
    expect(await tools.prepareImage(fixture('cmyk.jpg'))).toMatchObject({ width: 96, height: 64 })
    expect(await tools.prepareImage(fixture('tiny-10x10.png'))).toMatchObject({ width: 56, height: 56 })
  })

  it.each(['image.webp', 'café crème – photo 1.jpg'])('%s is sent as it is', async (name) => {
    const ref = await tools.prepareImage(fixture(name))
    const file = await readFile(fixture(name))
    expect(ref).toMatchObject({ sent: 'original', changes: [] })
    expect(Buffer.from(await tools.readImage(ref)).equals(file)).toBe(true)
  })

  it('applies the EXIF orientation: a sideways phone picture comes out upright', async () => {
    expect(await tools.probeImage(fixture('exif-rotated.jpg'))).toEqual({
      width: 80,
      height: 120,
      format: 'jpeg',
      pages: 1,
    })
    const ref = await tools.prepareImage(fixture('exif-rotated.jpg'))
    expect(ref).toMatchObject({ width: 80, height: 120, sent: 'encoded', changes: ['rotate'] })
    const bytes = await tools.readImage(ref)
    const [r, , b] = await pixel(bytes, Math.floor(ref.width / 2), 4)
    expect(r).toBeGreaterThan(180) // the red half is on top once oriented
    expect(b).toBeLessThan(90)
  })

  it('flattens transparency on white for JPEG and keeps it for PNG', async () => {
    const jpeg = await tools.readImage(await tools.prepareImage(fixture('alpha.png')))
    expect(await pixel(jpeg, 1, 1)).toEqual([255, 255, 255])
    const png = await tools.readImage(await tools.prepareImage(fixture('alpha.png'), { format: 'png' }))
    expect((await sharp(png).metadata()).hasAlpha).toBe(true)
  })

  it('converts CMYK to sRGB colours, not inverted ones', async () => {
    const ref = await tools.prepareImage(fixture('cmyk.jpg'))
    const bytes = await tools.readImage(ref)
    const [leftR, leftG, leftB] = await pixel(bytes, 10, ref.height / 2)
    const [rightR, rightG, rightB] = await pixel(bytes, ref.width - 10, ref.height / 2)
    expect(leftR).toBeGreaterThan(150) // #c82828 red
    expect(Math.max(leftG!, leftB!)).toBeLessThan(90)
    expect(rightB).toBeGreaterThan(150) // #2850c8 blue
    expect(Math.max(rightR!, rightG!)).toBeLessThan(120)
  })

  it('encodes PNG and WebP on request (for images that must be encoded)', async () => {
    const png = await tools.prepareImage(fixture('image.avif'), { format: 'png' })
    const webp = await tools.prepareImage(fixture('deep-16bit.png'), { format: 'webp', quality: 70 })
    expect(png.mime).toBe('image/png')
    expect((await sharp(await tools.readImage(png)).metadata()).format).toBe('png')
    expect(webp.mime).toBe('image/webp')
    expect((await sharp(await tools.readImage(webp)).metadata()).format).toBe('webp')
  })

  it('probeImage reads the header of an animated GIF without decoding it', async () => {
    const before = tools.stats().decodes
    expect(await tools.probeImage(fixture('animated.gif'))).toEqual({ width: 96, height: 64, format: 'gif', pages: 3 })
    expect(tools.stats().decodes).toBe(before)
  })
})

describe('prepareImage on the sample dataset', () => {
  it('sends each sample image as it is when it fits, else resizes it within the budget, sides multiples of 28', async () => {
    const tools = createMediaTools()
    const folders = await readdir(sample)
    const sent = { original: 0, encoded: 0 }
    for (const folder of folders) {
      for (const name of await readdir(join(sample, folder))) {
        const path = join(sample, folder, name)
        const info = await tools.probeImage(path)
        const ref = await tools.prepareImage(path, { maxPixels: 401408 })
        sent[ref.sent!]++
        if (ref.sent === 'original') {
          expect(ref, name).toMatchObject({ width: info.width, height: info.height, changes: [] })
          expect(Buffer.from(await tools.readImage(ref)).equals(await readFile(path)), name).toBe(true)
          continue
        }
        expect(ref.changes, name).toContain('resize')
        expect(ref.width % 28 === 0 && ref.height % 28 === 0, name).toBe(true)
        expect(ref.width * ref.height, name).toBeLessThanOrEqual(401408)
        expect(
          Math.abs(ref.width / ref.height - info.width / info.height) / (info.width / info.height),
          name,
        ).toBeLessThan(0.08)
      }
    }
    const count = sent.original + sent.encoded
    expect(count).toBeGreaterThanOrEqual(24)
    expect(sent.original).toBe(1) // meadow-thumbnail.jpg, 480x360: the only one within 401,408 px
    // Every image is decoded once (validated), and only those that must change are encoded.
    expect(tools.stats()).toMatchObject({ decodes: count, encodes: sent.encoded, originals: sent.original })
    await tools.close()
  })
})

describe('encode once, dedupe, bounded memory', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dataflow-media-test-'))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  // 1280x853: above the default budget, so every policy here encodes it.
  const photo = join(sample, 'natural/mountain-lake-sunset.jpg')

  it('decodes and encodes each (content, policy) once, whatever the number of callers', async () => {
    const tools = createMediaTools()
    // Ten agents asking at the same time share one preparation.
    const refs = await Promise.all(Array.from({ length: 10 }, () => tools.prepareImage(photo)))
    expect(new Set(refs.map((ref) => ref.hash)).size).toBe(1)
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 1, dedupedCalls: 9 })
    // Later calls are answered from the prepared-reference cache.
    await tools.prepareImage(photo)
    await tools.prepareImage(photo, {})
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 1, cacheHits: 2 })
    // Reading the bytes for every request costs no decode either.
    for (let i = 0; i < 5; i++) await tools.readImage(refs[0]!)
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 1, cacheHits: 7 })
    // Another policy is another encode.
    const small = await tools.prepareImage(photo, { maxPixels: 200704 })
    expect(small.policy).not.toBe(refs[0]!.policy)
    expect(small.width * small.height).toBeLessThanOrEqual(200704)
    expect(tools.stats()).toMatchObject({ decodes: 2, encodes: 2 })
    await tools.close()
  })

  it('validates an image sent as it is once, and reads its bytes from memory after that', async () => {
    const tools = createMediaTools()
    const fits = join(sample, 'natural/coastline.jpg') // 1200x800: within the default budget
    const refs = await Promise.all(Array.from({ length: 4 }, () => tools.prepareImage(fits)))
    expect(refs[0]).toMatchObject({
      sent: 'original',
      hash: createHash('sha256')
        .update(await readFile(fits))
        .digest('hex'),
    })
    for (const ref of refs) await tools.readImage(ref)
    expect(tools.stats()).toMatchObject({ decodes: 1, encodes: 0, originals: 1, dedupedCalls: 3, cacheHits: 4 })
    await tools.close()
  })

  it('keys on file content: a copy under another name is not encoded again, but keeps its own source', async () => {
    const tools = createMediaTools()
    const copy = join(folder, 'copy of coastline.jpg')
    await copyFile(photo, copy)
    const first = await tools.prepareImage(photo)
    const second = await tools.prepareImage(copy)
    expect(second.hash).toBe(first.hash)
    expect(second.source).toBe(copy)
    expect(tools.stats().encodes).toBe(1)
    await tools.close()
  })

  it('sees a file that changed on disk as new content', async () => {
    const tools = createMediaTools()
    const path = join(folder, 'changing.png')
    await copyFile(fixture('image.webp'), path)
    const before = await tools.prepareImage(path)
    await writeFile(
      path,
      await sharp({ create: { width: 300, height: 200, channels: 3, background: '#123456' } })
        .png()
        .toBuffer(),
    )
    const after = await tools.prepareImage(path)
    expect(after.hash).not.toBe(before.hash)
    expect(tools.stats()).toMatchObject({ decodes: 2, originals: 2 })
    await tools.close()
  })

  it('holds at most cacheBytes of encoded images, evicting the least recently used, and rebuilds evicted bytes from the source', async () => {
    const names = [
      'natural/coastline.jpg',
      'natural/meadow-trees.jpg',
      'natural/night-city.jpg',
      'charts/quarterly-revenue-bar.png',
    ]
    const policy = { maxPixels: 200704 } // all four are encoded
    const probe = createMediaTools()
    const sizes = await Promise.all(
      names.map(
        async (name) => (await probe.readImage(await probe.prepareImage(join(sample, name), policy))).byteLength,
      ),
    )
    await probe.close()
    const cacheBytes = sizes[0]! + sizes[1]! + 1024 // room for two of the four
    const tools = createMediaTools({ cacheBytes })
    const refs = []
    for (const name of names) refs.push(await tools.prepareImage(join(sample, name), policy))
    const held = tools.stats()
    expect(held.bytesHeld).toBeLessThanOrEqual(cacheBytes)
    expect(held.evictions).toBeGreaterThan(0)
    expect(held.imagesHeld).toBeLessThan(names.length)

    // The first image was evicted: reading it prepares it again from the file, with the same bytes.
    const rebuilt = await tools.readImage(refs[0]!)
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(refs[0]!.hash)
    expect(tools.stats()).toMatchObject({ rebuilds: 1, encodes: names.length + 1 })
    expect(tools.stats().bytesHeld).toBeLessThanOrEqual(cacheBytes)

    await tools.close()
  })

  it('shares one rebuild between concurrent reads of evicted bytes', async () => {
    const tools = createMediaTools({ cacheBytes: 1 }) // nothing is held: every read rebuilds
    const ref = await tools.prepareImage(photo)
    const reads = await Promise.all([tools.readImage(ref), tools.readImage(ref), tools.readImage(ref)])
    expect(reads[0]).toBe(reads[2])
    expect(tools.stats()).toMatchObject({ rebuilds: 1, dedupedCalls: 2, encodes: 2, bytesHeld: 0 })
    await tools.close()
  })

  it('rebuilds the evicted bytes of an image sent as it is by reading the file again, without decoding it', async () => {
    const tools = createMediaTools({ cacheBytes: 1 }) // nothing is held: every read rebuilds
    const fits = join(sample, 'natural/coastline.jpg')
    const ref = await tools.prepareImage(fits)
    expect(ref.sent).toBe('original')
    expect(Buffer.from(await tools.readImage(ref)).equals(await readFile(fits))).toBe(true)
    expect(tools.stats()).toMatchObject({ rebuilds: 1, decodes: 1, encodes: 0 })
    await tools.close()
  })

  it('refuses to rebuild bytes whose source changed since the reference was made', async () => {
    const path = join(folder, 'will-change.jpg')
    await copyFile(photo, path)
    const tools = createMediaTools({ cacheBytes: 1 }) // nothing is held: every read rebuilds
    const ref = await tools.prepareImage(path)
    await copyFile(join(sample, 'natural/night-city.jpg'), path)
    const result = await failure(tools.readImage(ref))
    expect(result.code).toBe('DATAFLOW_MEDIA_INVALID')
    expect(result.reason).toMatch(/changed after it was prepared/)
    await tools.close()
  })
})
