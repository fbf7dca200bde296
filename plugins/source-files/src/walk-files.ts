import type { Dirent } from 'node:fs'
import { opendir, realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** A file found by {@link walkFiles}. */
export interface WalkedFile {
  /** `/`-separated, relative to the walk's root. */
  relativePath: string
  absolutePath: string
}

export interface WalkOptions {
  /** Whether to look inside a folder (relative path); called before it is opened. */
  enter(relativeFolder: string): boolean
  /** Enter symlinked folders (cycles are detected and skipped). Symlinked files are always listed. */
  followSymlinks: boolean
  /** Told about entries that were skipped (dangling links, link cycles, unreadable folders). */
  onSkip?(relativePath: string, reason: string): void
  signal?: AbortSignal
}

/**
 * Lists the files below `root` lazily, depth first, each folder in code-unit order of its
 * names, so that the order is the same on every machine. Only one listing per open folder
 * level is held in memory.
 */
export function walkFiles(root: string, options: WalkOptions): AsyncGenerator<WalkedFile> {
  return walkFolder(root, '', new Set([]), options)
}

async function* walkFolder(
  absolute: string,
  relative: string,
  ancestors: Set<string>,
  options: WalkOptions,
): AsyncGenerator<WalkedFile> {
  let real: string
  let entries: Dirent[]
  try {
    real = await realpath(absolute)
    if (ancestors.has(real)) {
      options.onSkip?.(relative, 'symbolic link cycle')
      return
    }
    entries = await listSorted(absolute)
  } catch (error) {
    if (relative === '') throw error
    options.onSkip?.(relative, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    return
  }
  const inside = new Set(ancestors).add(real)
  for (const entry of entries) {
    if (options.signal?.aborted) return
    const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`
    const childAbsolute = join(absolute, entry.name)
    let isFile = entry.isFile()
    let isFolder = entry.isDirectory()
    if (entry.isSymbolicLink()) {
      const target = await stat(childAbsolute).catch(() => undefined)
      if (!target) {
        options.onSkip?.(childRelative, 'dangling symbolic link')
        continue
      }
      isFile = target.isFile()
      isFolder = target.isDirectory() && options.followSymlinks
    }
    if (isFile) yield { relativePath: childRelative, absolutePath: childAbsolute }
    else if (isFolder && options.enter(childRelative)) yield* walkFolder(childAbsolute, childRelative, inside, options)
  }
}

async function listSorted(folder: string): Promise<Dirent[]> {
  const entries: Dirent[] = []
  for await (const entry of await opendir(folder)) entries.push(entry)
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
