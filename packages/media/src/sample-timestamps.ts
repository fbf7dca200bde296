/**
 * Times (seconds) of `frames` frames spread uniformly over a clip: the middle of each of `n`
 * equal segments, so that neither the often black first frame nor the end is used. Never samples
 * faster than `maxFps`: a short clip gets fewer frames (at least one).
 */
export function sampleTimestamps(durationSeconds: number, frames: number, maxFps: number): number[] {
  const count = Math.max(1, Math.min(frames, Math.floor(durationSeconds * maxFps)))
  return Array.from(
    { length: count },
    (_, index) => Math.round(((durationSeconds * (index + 0.5)) / count) * 1000) / 1000,
  )
}
