import { createHash, randomBytes } from 'node:crypto'
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Folder of the run directory where decoded benchmark images are written. */
export const MEDIA_FOLDER = 'benchmark-media'

/** Writes decoded images once, named by content: `benchmark-media/<sha256>.<ext>`. */
export interface MediaWriter {
  /** Returns the absolute path of the file holding `bytes`, writing it only if it does not exist. */
  write(bytes: Buffer, extension: string): Promise<string>
}

/** @param resolveOutput the source context's resolveOutput (run-directory paths). */
export function createMediaWriter(resolveOutput: (path: string) => string): MediaWriter {
  const present = new Set<string>()
  return {
    async write(bytes, extension) {
      const hash = createHash('sha256').update(bytes).digest('hex')
      const path = resolveOutput(`${MEDIA_FOLDER}/${hash}.${extension}`)
      if (present.has(path)) return path
      if (!(await exists(path))) {
        await mkdir(dirname(path), { recursive: true })
        // Written aside and renamed, so a killed run never leaves a partial file that would be kept.
        const partial = `${path}.${randomBytes(6).toString('hex')}.partial`
        await writeFile(partial, bytes)
        await rename(partial, path)
      }
      present.add(path)
      return path
    },
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
