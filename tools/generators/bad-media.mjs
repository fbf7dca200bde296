/**
 * Writes data/fixtures/bad-media: tiny broken files (each must give a clear DATAFLOW_MEDIA_INVALID
 * or DATAFLOW_INPUT_NOT_FOUND) and valid but unusual ones (each must be prepared correctly).
 * Called by sample-data.mjs; deterministic.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { createRandom } from './random.mjs'

/** Deterministic noisy RGB pixels, so that JPEG files have real entropy-coded data to cut. */
function noisyPixels(width, height, seed) {
  const random = createRandom(seed)
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      data[i] = (x * 255) / width + random.range(-30, 30)
      data[i + 1] = (y * 255) / height + random.range(-30, 30)
      data[i + 2] = 128 + random.range(-60, 60)
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A PNG whose header claims width x height but whose data is a few hundred bytes. */
function bombPng(width, height) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  const firstRow = deflateSync(Buffer.alloc(1 + width * 3))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', firstRow),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

export async function writeBadMedia(folder) {
  // Files are overwritten in place: README.md, written by hand, stays.
  await mkdir(folder, { recursive: true })
  const write = (name, bytes) => writeFile(join(folder, name), bytes)

  // Broken: each must be refused with a reason.
  await write('zero-byte.jpg', Buffer.alloc(0))
  const jpeg = await noisyPixels(320, 240, 1).jpeg({ quality: 80 }).toBuffer()
  await write('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.55)))
  const png = Buffer.from(await noisyPixels(64, 64, 2).png().toBuffer())
  const idat = png.indexOf('IDAT')
  for (let i = idat + 40; i < idat + 240; i++) png[i] ^= 0x5a
  await write('corrupt.png', png)
  await write(
    'not-an-image.jpg',
    'This is a plain text file that was saved with a .jpg extension.\nIt holds no image data at all.\n',
  )
  await write('bomb-50000x50000.png', bombPng(50000, 50000))
  await write(
    'extreme-aspect-2100x10.png',
    await sharp({ create: { width: 2100, height: 10, channels: 3, background: '#888' } })
      .png()
      .toBuffer(),
  )
  // Headers, tables and end marker intact, scan data after the first few blocks replaced by noise
  // (no 0xFF, so no marker appears): libjpeg decodes it with a "Corrupt JPEG data: bad Huffman code"
  // warning into a garbled picture. (Noise behind the dense tables of a noisy photo can decode
  // without any warning: only damage the decoder notices can be reported.)
  const scrambled = Buffer.from(
    await sharp(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><defs><linearGradient id="g">' +
          '<stop offset="0" stop-color="#1d4ed8"/><stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>' +
          '<rect width="320" height="240" fill="url(#g)"/><circle cx="160" cy="120" r="60" fill="#fff"/></svg>',
      ),
    )
      .jpeg({ quality: 85 })
      .toBuffer(),
  )
  const sos = scrambled.indexOf(Buffer.from([0xff, 0xda]))
  const noise = createRandom(11)
  for (let i = sos + 2 + scrambled.readUInt16BE(sos + 2) + 64; i < scrambled.length - 2; i++)
    scrambled[i] = noise.int(0, 254)
  await write('corrupt-scan.jpg', scrambled)
  // An SVG whose DOCTYPE declares nested entities ("billion laughs"): refused as such.
  const entities = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')
  await write(
    'entities.svg',
    `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY l0 "lol">${entities}]>\n` +
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><text y="40">&l9;</text></svg>\n',
  )
  await write('garbage.mp4', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 251)))
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=8000:duration=1',
    '-c:a',
    'aac',
    '-b:a',
    '12k',
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    join(folder, 'audio-only.mp4'),
  ])

  // Unusual but valid: each must be prepared.
  const frames = await Promise.all(
    ['#e63946', '#2a9d8f', '#264653'].map((color, i) =>
      sharp({ create: { width: 96, height: 64, channels: 3, background: color } })
        .composite([
          {
            input: Buffer.from(
              `<svg width="96" height="64"><circle cx="${20 + i * 28}" cy="32" r="14" fill="#fff"/></svg>`,
            ),
          },
        ])
        .png()
        .toBuffer(),
    ),
  )
  await write(
    'animated.gif',
    await sharp(frames, { join: { animated: true } })
      .gif({ delay: [300, 300, 300], loop: 0 })
      .toBuffer(),
  )
  // A plain SVG drawing: refused unless the policy opts into rasterising SVG.
  await write(
    'drawing.svg',
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#2a9d8f"/>' +
      '<circle cx="60" cy="40" r="24" fill="#e9c46a"/></svg>\n',
  )
  await write('deep-16bit.png', await noisyPixels(96, 64, 4).toColourspace('rgb16').png().toBuffer())
  // Left half red, right half blue: an inverted or unconverted CMYK decode shows other colours.
  await write(
    'cmyk.jpg',
    await sharp({ create: { width: 96, height: 64, channels: 3, background: '#c82828' } })
      .composite([
        {
          input: Buffer.from('<svg width="96" height="64"><rect x="48" width="48" height="64" fill="#2850c8"/></svg>'),
        },
      ])
      .toColourspace('cmyk')
      .jpeg({ quality: 90 })
      .toBuffer(),
  )
  await write('image.webp', await noisyPixels(96, 64, 6).webp({ quality: 80 }).toBuffer())
  await write('image.avif', await noisyPixels(96, 64, 7).avif({ quality: 50, effort: 2 }).toBuffer())
  await write(
    'alpha.png',
    await sharp({ create: { width: 96, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="96" height="64"><rect x="24" y="16" width="48" height="32" fill="#1d4ed8"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer(),
  )
  // Stored 120x80 with EXIF orientation 6: displayed 80x120. The left half is red, so after orientation the top is red.
  const sideways = sharp({ create: { width: 120, height: 80, channels: 3, background: '#1d4ed8' } }).composite([
    { input: Buffer.from('<svg width="120" height="80"><rect width="60" height="80" fill="#dc2626"/></svg>') },
  ])
  await write('exif-rotated.jpg', await sideways.jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer())
  await write('tiny-10x10.png', await noisyPixels(10, 10, 8).png().toBuffer())
  // A phone video: stored landscape 320x180 with a 90-degree display rotation, so it plays as 180x320.
  const landscape = join(folder, '.landscape.mp4')
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=10',
    '-t',
    '1',
    '-c:v',
    'libx264',
    '-crf',
    '35',
    '-pix_fmt',
    'yuv420p',
    '-threads',
    '1',
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    landscape,
  ])
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    landscape,
    '-c',
    'copy',
    '-metadata:s:v',
    'rotate=90',
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    join(folder, 'rotated-phone.mp4'),
  ])
  await rm(landscape)
  await write('café crème – photo 1.jpg', await noisyPixels(160, 120, 9).jpeg({ quality: 80 }).toBuffer())
  console.log(`bad-media fixtures written to ${folder}`)
}
