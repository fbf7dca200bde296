import { basename, dirname, extname, join } from 'node:path'

/** The file of output `index`: the path itself when not rotating, else `<stem>-<5-digit index><ext>`. */
export function toRotatedPath(path: string, index: number, rotating: boolean): string {
  if (!rotating) return path
  const extension = extname(path)
  return join(dirname(path), `${basename(path, extension)}-${String(index).padStart(5, '0')}${extension}`)
}
