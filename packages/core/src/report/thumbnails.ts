import type { ImagePolicy, MediaTools } from '@dataflow/sdk'
import type { GalleryItem } from '../telemetry/gallery-sampler.js'

/** Thumbnail policy: about 112 x 112 pixels, WebP at low quality (2-5 KB each). */
const THUMBNAIL: ImagePolicy = { maxPixels: 112 * 112, minPixels: 16 * 16, factor: 2, format: 'webp', quality: 50 }

/** Data URLs of small thumbnails of the gallery items; an item whose media cannot be read gets none. */
export async function makeThumbnails(items: readonly GalleryItem[], media: MediaTools): Promise<Map<string, string>> {
  const thumbnails = new Map<string, string>()
  await Promise.all(
    items.map(async (item) => {
      if (!item.media) return
      try {
        const ref =
          item.media.kind === 'image'
            ? await media.prepareImage(item.media.source, THUMBNAIL)
            : (await media.prepareVideo(item.media.source, { ...THUMBNAIL, frames: 1 })).frames[0]
        if (!ref) return
        const bytes = await media.readImage(ref)
        thumbnails.set(item.id, `data:${ref.mime};base64,${Buffer.from(bytes).toString('base64')}`)
      } catch {
        // moved or unreadable media: the card says "no image"
      }
    }),
  )
  return thumbnails
}
