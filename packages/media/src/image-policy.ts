import { DataflowError, type ImagePolicy } from '@dataflow/sdk'

/** An ImagePolicy with every default filled in. */
export type ResolvedImagePolicy = Required<ImagePolicy>

/**
 * Defaults of {@link ImagePolicy}: Qwen2.5-VL's pixel budget, original bytes when they fit,
 * otherwise JPEG at quality 90; decoder warnings are errors; SVG is refused.
 */
export const DEFAULT_IMAGE_POLICY: Readonly<ResolvedImagePolicy> = Object.freeze({
  maxPixels: 1280 * 28 * 28,
  minPixels: 4 * 28 * 28,
  factor: 28,
  format: 'jpeg',
  quality: 90,
  maxInputPixels: 178956970,
  maxAspectRatio: 200,
  sendOriginal: true,
  decoderWarnings: 'error',
  svg: 'refuse',
})

/**
 * What keys written before a field existed meant: every image was encoded, decoder warnings
 * were let through and SVG was rasterised. References in older run journals rebuild the same bytes.
 */
const LEGACY_KEY_VALUES: Readonly<Partial<ResolvedImagePolicy>> = Object.freeze({
  sendOriginal: false,
  decoderWarnings: 'ignore',
  svg: 'rasterize',
})

const FORMATS = ['jpeg', 'png', 'webp'] as const
const DECODER_WARNINGS = ['error', 'ignore'] as const
const SVG = ['refuse', 'rasterize'] as const
const KEY_FIELDS = [
  'format',
  'quality',
  'factor',
  'minPixels',
  'maxPixels',
  'maxInputPixels',
  'maxAspectRatio',
  'sendOriginal',
  'decoderWarnings',
  'svg',
] as const

/** Fills defaults and checks that the bounds can be met; throws DATAFLOW_CONFIG_INVALID otherwise. */
export function resolveImagePolicy(policy: ImagePolicy = {}): ResolvedImagePolicy {
  const resolved: ResolvedImagePolicy = { ...DEFAULT_IMAGE_POLICY }
  for (const [name, value] of Object.entries(policy)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[name] = value
  }
  const problems: string[] = []
  const positiveInteger = (name: keyof ResolvedImagePolicy) => {
    const value = resolved[name]
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      problems.push(`${name} must be a positive integer (got ${String(value)})`)
  }
  positiveInteger('factor')
  positiveInteger('minPixels')
  positiveInteger('maxPixels')
  positiveInteger('maxInputPixels')
  if (!FORMATS.includes(resolved.format))
    problems.push(`format must be one of ${FORMATS.join(', ')} (got ${String(resolved.format)})`)
  if (!Number.isInteger(resolved.quality) || resolved.quality < 1 || resolved.quality > 100)
    problems.push(`quality must be an integer from 1 to 100 (got ${resolved.quality})`)
  if (typeof resolved.sendOriginal !== 'boolean')
    problems.push(`sendOriginal must be true or false (got ${String(resolved.sendOriginal)})`)
  if (!DECODER_WARNINGS.includes(resolved.decoderWarnings))
    problems.push(
      `decoderWarnings must be one of ${DECODER_WARNINGS.join(', ')} (got ${String(resolved.decoderWarnings)})`,
    )
  if (!SVG.includes(resolved.svg)) problems.push(`svg must be one of ${SVG.join(', ')} (got ${String(resolved.svg)})`)
  if (!(resolved.maxAspectRatio >= 1))
    problems.push(`maxAspectRatio must be at least 1 (got ${resolved.maxAspectRatio})`)
  if (resolved.maxPixels < resolved.factor * resolved.factor)
    problems.push(
      `maxPixels (${resolved.maxPixels}) must be at least factor x factor (${resolved.factor * resolved.factor})`,
    )
  if (resolved.minPixels > resolved.maxPixels)
    problems.push(`minPixels (${resolved.minPixels}) must not exceed maxPixels (${resolved.maxPixels})`)
  if (problems.length > 0) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `invalid image policy: ${problems.join('; ')}`, {
      hint: 'Fix the resize settings of the media node.',
      details: { policy: { ...policy } },
    })
  }
  // PNG is lossless: quality does not change its bytes, so it must not change its key either.
  if (resolved.format === 'png') resolved.quality = DEFAULT_IMAGE_POLICY.quality
  return resolved
}

/**
 * The canonical key of a policy: equal policies give equal keys, and {@link fromPolicyKey}
 * rebuilds the policy from it. Example: `format=jpeg&quality=90&factor=28&minPixels=3136&...`.
 */
export function toPolicyKey(policy: ResolvedImagePolicy): string {
  return KEY_FIELDS.map((name) => `${name}=${policy[name]}`).join('&')
}

/** Rebuilds a policy from {@link toPolicyKey}'s output; throws DATAFLOW_MEDIA_INVALID for a foreign key. */
export function fromPolicyKey(key: string): ResolvedImagePolicy {
  const params = new URLSearchParams(key)
  const policy: Record<string, unknown> = {}
  for (const name of KEY_FIELDS) {
    const value = params.get(name)
    if (value === null) {
      if (name in LEGACY_KEY_VALUES) {
        policy[name] = LEGACY_KEY_VALUES[name]
        continue
      }
      throw new DataflowError(
        'DATAFLOW_MEDIA_INVALID',
        `image policy key "${key}" lacks "${name}": the image reference was not made by @dataflow/media`,
        {
          details: { policy: key },
        },
      )
    }
    const fallback = DEFAULT_IMAGE_POLICY[name]
    policy[name] =
      typeof fallback === 'number' ? Number(value) : typeof fallback === 'boolean' ? value === 'true' : value
  }
  return resolveImagePolicy(policy)
}
