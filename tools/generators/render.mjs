import sharp from 'sharp'
import { createRandom } from './random.mjs'

/**
 * Rasterises an SVG and finishes it like a photograph: sensor grain (seeded, so reproducible),
 * a slight softening, then JPEG. `gray` keeps one channel (X-ray style); `storedSideways` writes
 * the pixels rotated with EXIF orientation 6, as phone cameras do.
 */
export async function renderPhoto(
  svg,
  { seed, grain = 6, blur = 0.6, quality = 82, gray = false, storedSideways = false } = {},
) {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const random = createRandom(seed)
  for (let i = 0; i < data.length; i += info.channels) {
    // Luminance grain shared by the channels plus a little chroma noise, as a camera sensor gives.
    const shared = random.gauss() * grain
    for (let c = 0; c < info.channels; c++) {
      data[i + c] = Math.max(0, Math.min(255, Math.round(data[i + c] + shared + random.gauss() * grain * 0.35)))
    }
  }
  let image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
  if (blur > 0.3) image = image.blur(blur)
  if (gray) image = image.toColourspace('b-w')
  // A phone held upright stores the pixels sideways and an EXIF orientation of 6 (rotate 90 degrees to view).
  if (storedSideways)
    image = sharp(await image.rotate(270).raw().toBuffer(), {
      raw: { width: info.height, height: info.width, channels: gray ? 1 : info.channels },
    })
  image = image.jpeg({ quality, chromaSubsampling: '4:2:0' })
  if (storedSideways) image = image.withMetadata({ orientation: 6 })
  return image.toBuffer()
}

/** Rasterises an SVG as a lossless screenshot (UI, code, charts, documents). */
export async function renderScreenshot(svg, { palette = false } = {}) {
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 9, palette, effort: 10 }).toBuffer()
}

/** Rasterises an SVG as a scanned page: paper tone, faint grain, JPEG. */
export async function renderScan(svg, { seed, quality = 80 } = {}) {
  return renderPhoto(svg, { seed, grain: 3, blur: 0.4, quality })
}
