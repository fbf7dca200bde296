import { resolve } from 'node:path'
import { toMediaLocation, toMediaLocator, type MediaLocation } from '@dataflow/sdk'
import type { MediaKind } from './media-errors.js'
import { mediaInvalid } from './media-errors.js'
import { createParquetCellReader } from './parquet-cells.js'
import { readMediaFile, statMediaFile, type FileIdentity } from './read-media-file.js'
import { createRangeReader } from './read-tar-member.js'

/**
 * Where media bytes come from: a file of its own, a tar member (one positioned read) or a
 * Parquet cell (decoded per row group, cached). Every reader takes a media locator string
 * (`@dataflow/sdk` toMediaLocator); `key` changes when the container file changes.
 */
export interface MediaSource {
  /** The locator in its canonical form: files resolved to absolute paths, container locators as written. */
  normalize(locator: string): string
  /** Checks the media exists (its file, or its container) and names its content's identity. `read` checks as much by itself. */
  identify(kind: MediaKind, locator: string): Promise<FileIdentity>
  read(kind: MediaKind, locator: string): Promise<Uint8Array>
  /** The location for readers that need a file (ffmpeg, sharp's header reader): a path, or undefined when the bytes sit inside a container. */
  filePath(locator: string): string | undefined
  clear(): void
}

/** Shards kept open between reads (items of one or two shards are in flight at a time). */
const MAX_OPEN_SHARDS = 8

export function createMediaSource(options: { parquetCacheBytes: number }): MediaSource {
  const cells = createParquetCellReader({ cacheBytes: options.parquetCacheBytes })
  const ranges = createRangeReader({ maxOpen: MAX_OPEN_SHARDS })
  const locate = (locator: string): MediaLocation => {
    const location = toMediaLocation(locator)
    return location.kind === 'file' ? { kind: 'file', path: resolve(location.path) } : location
  }
  return {
    normalize: (locator) => toMediaLocator(locate(locator)),
    async identify(kind, locator) {
      const location = locate(locator)
      const container = await statMediaFile(kind, location.path)
      switch (location.kind) {
        case 'file':
          return container
        case 'tar-member':
          if (location.offset + location.size > container.size) {
            throw mediaInvalid(
              kind,
              locator,
              `the shard is ${container.size} bytes, shorter than the member's end (${location.offset + location.size}): truncated tar`,
            )
          }
          return { path: locator, size: location.size, key: `${container.key}#${location.offset}+${location.size}` }
        case 'parquet-cell':
          return {
            path: locator,
            size: 0,
            key: `${container.key}#${location.column}@${location.rowGroup}:${location.row}`,
          }
      }
    },
    async read(kind, locator) {
      const location = locate(locator)
      switch (location.kind) {
        case 'file':
          return readMediaFile(kind, location.path)
        case 'tar-member': {
          if (location.size === 0) throw mediaInvalid(kind, locator, 'the member is empty (0 bytes)', { bytes: 0 })
          const container = await statMediaFile(kind, location.path)
          return ranges.read(kind, container, locator, location.offset, location.size)
        }
        case 'parquet-cell': {
          const container = await statMediaFile(kind, location.path)
          return cells.read(kind, locator, container, location.column, location.rowGroup, location.row)
        }
      }
    },
    filePath(locator) {
      const location = locate(locator)
      return location.kind === 'file' ? location.path : undefined
    },
    clear() {
      cells.clear()
      void ranges.clear()
    },
  }
}
