import type { ImageChange } from '@dataflow/sdk'
import { isSrgbOrGreyProfile } from './icc-profile.js'
import type { ResolvedImagePolicy } from './image-policy.js'
import type { ImageHeader } from './read-image-header.js'
import { isWithinPixelBounds, smartResize, type ResizeTarget } from './smart-resize.js'

/** What preparing an image will do, as far as its header tells. */
export interface ImagePlan {
  /** Why the image must be encoded again; empty when its own bytes can be sent (once a full decode validated them). */
  changes: ImageChange[]
  /**
   * The size to encode at: the upright size when it is within the pixel bounds, else (or with
   * `sendOriginal: false`, which keeps the earlier behaviour) smart_resize's.
   */
  target: ResizeTarget
}

/** Formats every OpenAI-compatible vision server decodes (PIL on vLLM, SGLang, lmdeploy). */
const SENDABLE_FORMATS = new Set(['jpeg', 'png', 'webp'])
const EIGHT_BIT_SPACES = new Set(['srgb', 'b-w'])

/**
 * Decides from the header alone whether the file can be sent as it is. A size within the pixel
 * bounds is kept even when its sides are not multiples of `factor`: the server's processor rounds
 * them (decision 0024), so resampling here would only add a second resampling and a lossy encode.
 */
export function planImage(header: ImageHeader, policy: ResolvedImagePolicy, source: 'file' | 'frame'): ImagePlan {
  const { width, height } = header
  const target =
    policy.sendOriginal && isWithinPixelBounds(width, height, policy)
      ? { width, height }
      : smartResize(width, height, policy)
  const changes: ImageChange[] = []
  if (source === 'frame') changes.push('frame')
  else if (!policy.sendOriginal) changes.push('policy')
  if (target.width !== width || target.height !== height) changes.push('resize')
  if (header.orientation !== 1) changes.push('rotate')
  if (!SENDABLE_FORMATS.has(header.format)) changes.push('format')
  if (
    !EIGHT_BIT_SPACES.has(header.space) ||
    header.depth !== 'uchar' ||
    (header.icc !== undefined && !isSrgbOrGreyProfile(header.icc))
  )
    changes.push('colour')
  if (header.pages > 1) changes.push('animation')
  return { changes, target }
}
