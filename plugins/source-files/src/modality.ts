import { extname } from 'node:path'

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'avif', 'tif', 'tiff', 'bmp'] as const
export const VIDEO_EXTENSIONS = [
  'mp4',
  'mov',
  'mkv',
  'webm',
  'avi',
  'm4v',
  'mpg',
  'mpeg',
  'wmv',
  'flv',
  '3gp',
  'ts',
] as const

const IMAGE = new Set<string>(IMAGE_EXTENSIONS)
const VIDEO = new Set<string>(VIDEO_EXTENSIONS)

/** `image` or `video` from the file extension (any case); undefined for anything else. */
export function toModality(fileName: string): 'image' | 'video' | undefined {
  const extension = extname(fileName).slice(1).toLowerCase()
  if (IMAGE.has(extension)) return 'image'
  if (VIDEO.has(extension)) return 'video'
  return undefined
}
