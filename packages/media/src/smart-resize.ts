/** Target size of an image for a vision model, both sides multiples of `factor`. */
export interface ResizeTarget {
  width: number
  height: number
}

/** Bounds for {@link smartResize}. */
export interface SmartResizeBounds {
  /** Both sides become multiples of this. */
  factor: number
  /** Lower bound of width x height. */
  minPixels: number
  /** Upper bound of width x height. */
  maxPixels: number
}

/**
 * The size a Qwen2.5-VL style processor would give an image: both sides rounded to multiples of
 * `factor`, the aspect ratio kept as closely as that allows, and the pixel count brought within
 * [minPixels, maxPixels] by scaling both sides by the same ratio.
 * Rounding is half-to-even, as Python's `round`, so sizes match the reference processor.
 * Callers validate the aspect ratio first; with feasible bounds the result always lies within them.
 */
export function smartResize(width: number, height: number, bounds: SmartResizeBounds): ResizeTarget {
  const { factor, minPixels, maxPixels } = bounds
  const byFactor = (value: number, round: (x: number) => number) => Math.max(factor, round(value / factor) * factor)
  let w = byFactor(width, roundHalfEven)
  let h = byFactor(height, roundHalfEven)
  if (w * h > maxPixels) {
    const beta = Math.sqrt((width * height) / maxPixels)
    w = byFactor(width / beta, Math.floor)
    h = byFactor(height / beta, Math.floor)
  } else if (w * h < minPixels) {
    const beta = Math.sqrt(minPixels / (width * height))
    w = byFactor(width * beta, Math.ceil)
    h = byFactor(height * beta, Math.ceil)
  }
  // The reference processor can overshoot here for very elongated images: the short side is
  // clamped up to `factor`, so the long side must give way to stay within the budget.
  if (w * h > maxPixels) {
    if (w >= h) w = Math.max(factor, Math.floor(maxPixels / h / factor) * factor)
    else h = Math.max(factor, Math.floor(maxPixels / w / factor) * factor)
  }
  return { width: w, height: h }
}

/** The aspect ratio above which Qwen-VL processors refuse an image (`MAX_RATIO` of their smart_resize). */
export const PROCESSOR_MAX_ASPECT_RATIO = 200

/**
 * True when a Qwen-VL processor given the image as it is accepts it and arrives at the size
 * {@link smartResize} gives: both sides at least `factor` and the aspect ratio at most 200 (it
 * raises an error otherwise), and within the pixel bounds, so that only rounding the sides to
 * multiples of `factor` is left to do.
 */
export function isWithinPixelBounds(width: number, height: number, bounds: SmartResizeBounds): boolean {
  const { factor } = bounds
  if (width < factor || height < factor) return false
  if (Math.max(width, height) / Math.min(width, height) > PROCESSOR_MAX_ASPECT_RATIO) return false
  const target = smartResize(width, height, bounds)
  return (
    target.width === Math.max(factor, roundHalfEven(width / factor) * factor) &&
    target.height === Math.max(factor, roundHalfEven(height / factor) * factor)
  )
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction > 0.5) return floor + 1
  if (fraction < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
