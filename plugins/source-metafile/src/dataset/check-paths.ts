import { stat } from 'node:fs/promises'

/** What is at a path: `file`, `folder`, `missing` or `other`. */
export async function toPathKind(path: string): Promise<'file' | 'folder' | 'missing' | 'other'> {
  try {
    const stats = await stat(path)
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      return 'missing'
    throw error
  }
}
