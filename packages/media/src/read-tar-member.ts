import { open, type FileHandle } from 'node:fs/promises'
import { mediaInvalid, toFileError, type MediaKind } from './media-errors.js'
import type { FileIdentity } from './read-media-file.js'

/** Reads byte ranges of container files (tar shards), keeping a few of them open. */
export interface RangeReader {
  /**
   * Reads `size` bytes at `offset` with positioned reads: a tar member's data is contiguous, so
   * nothing else of the shard is read and nothing is extracted to disk.
   */
  read(kind: MediaKind, file: FileIdentity, label: string, offset: number, size: number): Promise<Buffer>
  /** Closes every open file. */
  clear(): Promise<void>
}

/**
 * Items of one shard arrive together, so its file stays open across their reads (one `pread`
 * per member instead of open, read, close). Files are keyed by identity (inode, size, mtime):
 * a replaced shard is opened again.
 */
export function createRangeReader(options: { maxOpen: number }): RangeReader {
  interface OpenFile {
    handle: Promise<FileHandle>
    /** Reads in progress: an evicted file is closed when the last one ends. */
    users: number
    evicted: boolean
  }
  // Insertion order is recency: the first entry is the least recently used.
  const files = new Map<string, OpenFile>()
  const close = (file: OpenFile) => void file.handle.then((handle) => handle.close()).catch(() => undefined)
  const evict = (key: string, file: OpenFile) => {
    files.delete(key)
    file.evicted = true
    if (file.users === 0) close(file)
  }
  const acquire = (kind: MediaKind, identity: FileIdentity): OpenFile => {
    let file = files.get(identity.key)
    if (file) {
      files.delete(identity.key)
    } else {
      const handle = open(identity.path, 'r')
      file = { handle, users: 0, evicted: false }
      handle.catch(() => evict(identity.key, file!))
    }
    files.set(identity.key, file)
    for (const [key, oldest] of files) {
      if (files.size <= options.maxOpen) break
      evict(key, oldest)
    }
    file.users++
    return file
  }
  const release = (file: OpenFile) => {
    file.users--
    if (file.evicted && file.users === 0) close(file)
  }
  return {
    async read(kind, identity, label, offset, size) {
      const file = acquire(kind, identity)
      const bytes = Buffer.allocUnsafe(size)
      let filled = 0
      try {
        const handle = await file.handle
        while (filled < size) {
          const { bytesRead } = await handle.read(bytes, filled, size - filled, offset + filled)
          if (bytesRead === 0) break
          filled += bytesRead
        }
      } catch (error) {
        throw toFileError(kind, identity.path, error)
      } finally {
        release(file)
      }
      if (filled < size) {
        throw mediaInvalid(
          kind,
          label,
          `the shard ends inside the member (${filled} of ${size} bytes): truncated tar`,
          {
            bytes: filled,
            expectedBytes: size,
          },
        )
      }
      return bytes
    },
    async clear() {
      for (const [key, file] of [...files]) evict(key, file)
    },
  }
}
