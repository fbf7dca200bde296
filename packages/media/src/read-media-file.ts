import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { mediaInvalid, toFileError, type MediaKind } from './media-errors.js'

/** A media file as found on disk; `key` changes when the file is replaced or modified. */
export interface FileIdentity {
  path: string
  size: number
  key: string
}

/** Stats a media file; a missing file is DATAFLOW_INPUT_NOT_FOUND, a folder or an empty file DATAFLOW_MEDIA_INVALID. */
export async function statMediaFile(kind: MediaKind, path: string): Promise<FileIdentity> {
  let stats
  try {
    stats = await stat(path, { bigint: true })
  } catch (error) {
    throw toFileError(kind, path, error)
  }
  if (stats.isDirectory()) throw mediaInvalid(kind, path, 'the path is a folder, not a file')
  if (stats.size === 0n) throw mediaInvalid(kind, path, 'the file is empty (0 bytes)', { bytes: 0 })
  return { path, size: Number(stats.size), key: `${path}\0${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}` }
}

/** Reads a whole media file, mapping file-system errors. */
export async function readMediaFile(kind: MediaKind, path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw toFileError(kind, path, error)
  }
}

/** sha256 (hex) of a file, streamed so that large videos are never held in memory. */
export async function hashFile(kind: MediaKind, path: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  } catch (error) {
    throw toFileError(kind, path, error)
  }
  return hash.digest('hex')
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
