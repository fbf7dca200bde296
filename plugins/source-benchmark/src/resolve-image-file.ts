import { stat } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'

/** The absolute path of an image file named relative to `folder`, or why it cannot be used. */
export async function resolveImageFile(folder: string, name: string): Promise<{ path: string } | { problem: string }> {
  const path = isAbsolute(name) ? name : resolve(folder, name)
  try {
    if ((await stat(path)).isFile()) return { path }
    return { problem: `the image ${path} is not a file` }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { problem: `the image file ${path} does not exist` }
    throw error
  }
}
