import { open } from 'node:fs/promises'
import { mediaInvalid, toFileError, type MediaKind } from './media-errors.js'

/**
 * Reads `size` bytes at `offset` of a file with one positioned read: a tar member's data is
 * contiguous, so nothing else of the shard is read and nothing is extracted to disk.
 */
export async function readFileRange(kind: MediaKind, path: string, label: string, offset: number, size: number) {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw toFileError(kind, path, error)
  }
  try {
    const bytes = Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, offset + filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled < size) {
      throw mediaInvalid(kind, label, `the shard ends inside the member (${filled} of ${size} bytes): truncated tar`, {
        bytes: filled,
        expectedBytes: size,
      })
    }
    return bytes
  } catch (error) {
    if ((error as { code?: unknown }).code === 'DATAFLOW_MEDIA_INVALID') throw error
    throw toFileError(kind, path, error)
  } finally {
    await handle.close()
  }
}
