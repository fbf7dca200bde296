import { createHash } from 'node:crypto'
import { readFile, realpath } from 'node:fs/promises'
import { relative, isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ImageRef, VideoRef } from '@dataflow/sdk'
import type { DataUrlCache } from './data-url-cache.js'

/** The URL a media reference is sent as, for one model. */
export interface MediaUrls {
  image(ref: ImageRef): Promise<string>
  video(ref: VideoRef): Promise<string>
}

/** Entries kept per memo before it is cleared (a run may see millions of files). */
const MEMO_LIMIT = 10_000

/**
 * Media as `file://` URLs where the server reads the same files (`localMediaRoot`), data URLs
 * otherwise. A file URL is used only for a file inside the root (after resolving symlinks, so a
 * link cannot point the server outside it) and, for an image, only when the bytes to send are the
 * file's own: a resized or re-encoded image is not on disk and goes as a data URL.
 */
export function createMediaUrls(dataUrls: DataUrlCache, localMediaRoot: string | undefined): MediaUrls {
  if (localMediaRoot === undefined) return dataUrls
  const root = realpath(localMediaRoot).catch(() => undefined)
  /** Real path of a source inside the root, or undefined. */
  const inside = new Map<string, Promise<string | undefined>>()
  /** Whether the bytes of an image hash are its source file's bytes. */
  const unchanged = new Map<string, Promise<boolean>>()
  const memo = <T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let value = map.get(key)
    if (value === undefined) {
      if (map.size >= MEMO_LIMIT) map.clear()
      value = load()
      map.set(key, value)
    }
    return value
  }
  const insideRoot = (source: string) =>
    memo(inside, source, async () => {
      const [base, real] = await Promise.all([root, realpath(source).catch(() => undefined)])
      if (base === undefined || real === undefined) return undefined
      const path = relative(base, real)
      return path !== '' && !path.startsWith('..') && !isAbsolute(path) ? real : undefined
    })
  const sentAsIs = (ref: ImageRef, path: string) => {
    // Media preparation may say so itself; older references are checked against the file.
    const sent = (ref as ImageRef & { sent?: 'original' | 'encoded' }).sent
    if (sent !== undefined) return Promise.resolve(sent === 'original')
    return memo(unchanged, `${ref.hash}:${path}`, async () => {
      try {
        return (
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex') === ref.hash
        )
      } catch {
        return false
      }
    })
  }
  return {
    async image(ref) {
      const path = await insideRoot(ref.source)
      if (path !== undefined && (await sentAsIs(ref, path))) return pathToFileURL(path).href
      return dataUrls.image(ref)
    },
    async video(ref) {
      const path = await insideRoot(ref.source)
      return path === undefined ? dataUrls.video(ref) : pathToFileURL(path).href
    },
  }
}
