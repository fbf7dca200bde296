import { extname } from 'node:path'
import { DataflowError } from '@dataflow/sdk'

const VIDEO_EXTENSIONS = new Set([
  '.mp4',
  '.m4v',
  '.mov',
  '.mkv',
  '.webm',
  '.avi',
  '.wmv',
  '.flv',
  '.mpg',
  '.mpeg',
  '.ts',
  '.mts',
  '.m2ts',
  '.3gp',
  '.ogv',
])

/** The item's modality: its own field when set (any case), else guessed from the file extension. */
export function toModality(value: unknown, path: string, field: string): 'image' | 'video' {
  if (value === undefined || value === null || value === '')
    return VIDEO_EXTENSIONS.has(extname(path).toLowerCase()) ? 'video' : 'image'
  const modality = typeof value === 'string' ? value.trim().toLowerCase() : value
  if (modality === 'image' || modality === 'video') return modality
  throw new DataflowError(
    'DATAFLOW_INPUT_INVALID',
    `the item's modality at "${field}" is ${JSON.stringify(value)}; expected "image" or "video"`,
    {
      hint: 'Fix the modality in the input (Metafile `modality` or the record), or point `modality` at another field.',
      details: { field, value },
    },
  )
}
