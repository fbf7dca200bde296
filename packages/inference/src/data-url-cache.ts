import type { ImageRef, VideoRef } from '@dataflow/sdk'

/** Turns media references into data URLs, encoding each image once while it stays in the cache. */
export interface DataUrlCache {
  image(ref: ImageRef): Promise<string>
  video(ref: VideoRef): Promise<string>
  stats(): { encoded: number; hits: number; entries: number; chars: number }
}

export interface DataUrlCacheOptions {
  resolveImage: (ref: ImageRef) => Promise<Uint8Array>
  resolveVideo: (ref: VideoRef) => Promise<{ bytes: Uint8Array; mime: string }>
  /** Most data URL characters kept (about bytes x 1.33). Default 64 MiB. */
  maxChars?: number
  /** Most entries kept. Default 256. */
  maxEntries?: number
}

const toDataUrl = (mime: string, bytes: Uint8Array) =>
  `data:${mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`

/**
 * A small LRU of data URLs keyed by content hash. Concurrent requests for one image share a
 * single encoding (the pending promise is shared), so four agents on one image encode it once.
 * Videos are keyed by source and frame hashes; an entry larger than the whole cache is not kept.
 */
export function createDataUrlCache(options: DataUrlCacheOptions): DataUrlCache {
  const maxChars = options.maxChars ?? 64 * 1024 * 1024
  const maxEntries = options.maxEntries ?? 256
  const entries = new Map<string, string>()
  const pending = new Map<string, Promise<string>>()
  let chars = 0
  let encoded = 0
  let hits = 0

  const remember = (key: string, url: string) => {
    if (url.length > maxChars) return
    entries.set(key, url)
    chars += url.length
    for (const [oldKey, oldUrl] of entries) {
      if (chars <= maxChars && entries.size <= maxEntries) break
      entries.delete(oldKey)
      chars -= oldUrl.length
    }
  }

  const lookup = (key: string, load: () => Promise<string>): Promise<string> => {
    const cached = entries.get(key)
    if (cached !== undefined) {
      hits++
      entries.delete(key)
      entries.set(key, cached)
      return Promise.resolve(cached)
    }
    const inProgress = pending.get(key)
    if (inProgress) {
      hits++
      return inProgress
    }
    const promise = load().then(
      (url) => {
        encoded++
        pending.delete(key)
        remember(key, url)
        return url
      },
      (error: unknown) => {
        pending.delete(key)
        throw error
      },
    )
    pending.set(key, promise)
    return promise
  }

  return {
    image: (ref) => lookup(`image:${ref.hash}`, async () => toDataUrl(ref.mime, await options.resolveImage(ref))),
    video: (ref) =>
      lookup(videoKey(ref), async () => {
        const { bytes, mime } = await options.resolveVideo(ref)
        return toDataUrl(mime, bytes)
      }),
    stats: () => ({ encoded, hits, entries: entries.size, chars }),
  }
}

/** Identity of a video for caches: its source and the hashes of its sampled frames. */
export function videoKey(ref: VideoRef): string {
  return `video:${ref.source}:${ref.frames.map((frame) => frame.hash).join(',')}`
}
