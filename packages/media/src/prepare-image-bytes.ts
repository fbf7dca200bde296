import type { ImageChange, ImageRef } from '@dataflow/sdk'
import { checkSvg } from './check-svg.js'
import { decodeImage } from './decode-image.js'
import { encodeImage } from './encode-image.js'
import type { ResolvedImagePolicy } from './image-policy.js'
import type { MediaCounters } from './media-stats.js'
import { planImage } from './plan-image.js'
import { sha256 } from './read-media-file.js'
import { checkImageHeader, readImageHeader } from './read-image-header.js'

/** The bytes to send for one image, and what was done to make them. */
export interface PreparedBytes {
  bytes: Uint8Array
  /** sha256 of `bytes`: of the file itself when `sent` is `original`. */
  hash: string
  mime: ImageRef['mime']
  width: number
  height: number
  sent: 'original' | 'encoded'
  changes: ImageChange[]
  /** Animated sources: frames used / present. */
  frames?: { used: number; present: number }
}

const MIME: Record<string, ImageRef['mime']> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** Where the bytes come from: a file (with its sha256 when the caller has it) or a frame ffmpeg extracted. */
export type ImageInput = { source: 'file'; contentHash?: string } | { source: 'frame' }

/**
 * Validates one image held in memory and makes the bytes to send: the input itself when it
 * needs no change (after a full decode found no damage), else an encoding made for the policy.
 * Video frames are always encoded.
 */
export async function prepareImageBytes(
  input: Uint8Array,
  label: string,
  policy: ResolvedImagePolicy,
  origin: ImageInput,
  counters: Pick<MediaCounters, 'headerReads' | 'decodes' | 'encodes' | 'originals'>,
): Promise<PreparedBytes> {
  counters.headerReads++
  const header = await readImageHeader(input, label)
  checkImageHeader(header, label, policy)
  if (header.format === 'svg') checkSvg(input, label, policy)
  const { changes, target } = planImage(header, policy, origin.source)
  const frames = header.pages > 1 ? { frames: { used: 1, present: header.pages } } : {}
  if (changes.length === 0) {
    counters.decodes++
    const { transparent } = await decodeImage(input, header, label, policy)
    if (transparent && policy.format === 'jpeg') changes.push('transparency')
    else {
      counters.originals++
      const { width, height } = header
      const hash = (origin.source === 'file' ? origin.contentHash : undefined) ?? sha256(input)
      return { bytes: input, hash, mime: MIME[header.format]!, width, height, sent: 'original', changes }
    }
  }
  counters.decodes++
  const encoded = await encodeImage(input, header, label, policy, target)
  counters.encodes++
  return { ...encoded, hash: sha256(encoded.bytes), sent: 'encoded', changes, ...frames }
}
