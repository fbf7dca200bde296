import { lstatSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** The absolute media path, or why it is refused. */
export type MediaPathResult = { path: string } | { problem: string }

/** Resolves media paths of one dataset root. */
export type MediaPathResolver = (mediaPath: string) => Promise<MediaPathResult>

const FOLDER_CACHE_SIZE = 4096

/**
 * Resolves records' media paths against the dataset root and refuses any path that leaves it:
 * `../` segments, an absolute path elsewhere, or a symbolic link (of the file or of a folder on
 * the way) whose target is outside the root's real path. Missing files are not an error here:
 * the media node reports them. Folder real paths are cached, so a dataset costs one `lstat`
 * per item plus one `realpath` per folder.
 */
export function createMediaPathResolver(root: string, realRoot: string | undefined): MediaPathResolver {
  const realFolders = new Map<string, string | undefined>()
  const realFolder = async (folder: string) => {
    if (realFolders.has(folder)) return realFolders.get(folder)
    const real = await realpath(folder).catch(() => undefined)
    if (realFolders.size >= FOLDER_CACHE_SIZE) realFolders.clear()
    realFolders.set(folder, real)
    return real
  }
  return async (mediaPath) => {
    if (mediaPath.includes('\0')) return { problem: `media path ${JSON.stringify(mediaPath)} contains a NUL character` }
    const path = resolve(root, mediaPath)
    if (!isInside(root, path)) {
      return { problem: `media path ${JSON.stringify(mediaPath)} points outside the dataset root ${root}` }
    }
    if (realRoot === undefined) return { path }
    const folder = await realFolder(dirname(path))
    if (folder === undefined) return { path }
    let real = join(folder, basename(path))
    // A synchronous lstat is a single cheap syscall and, unlike the promise API, can report a missing file without throwing.
    if (isSymbolicLink(real)) real = (await realpath(real).catch(() => undefined)) ?? real
    if (!isInside(realRoot, real)) {
      return {
        problem: `media path ${JSON.stringify(mediaPath)} goes through a symbolic link to ${real}, outside the dataset root ${root}`,
      }
    }
    return { path }
  }
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false
  } catch {
    return false
  }
}

function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path)
  return rest === '' || (!isAbsolute(rest) && rest !== '..' && !rest.startsWith(`..${sep}`))
}
