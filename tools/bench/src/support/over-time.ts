import type { SimSample } from './sim-fleet.js'

/**
 * Mean utilisation (running / max-seqs) in each of `parts` equal slices of the server's active
 * period (first arrival to last completion), in percent.
 */
export function utilisationOverTime(samples: readonly SimSample[], maxSeqs: number, parts = 10): number[] {
  const first = samples.find((sample) => sample.arrivals > 0)
  const total = samples.at(-1)?.completed ?? 0
  const last = samples.find((sample) => sample.completed >= total && total > 0) ?? samples.at(-1)
  if (first === undefined || last === undefined || last.elapsedMs <= first.elapsedMs) return []
  const span = last.elapsedMs - first.elapsedMs
  const values: number[] = []
  for (let part = 0; part < parts; part++) {
    const from = at(samples, first.elapsedMs + (part * span) / parts)
    const to = at(samples, first.elapsedMs + ((part + 1) * span) / parts)
    values.push(
      from && to && to.elapsedMs > from.elapsedMs
        ? Math.round((100 * (to.runningMs - from.runningMs)) / (maxSeqs * (to.elapsedMs - from.elapsedMs)))
        : NaN,
    )
  }
  return values
}

/** Mean of `value` over each of `parts` equal slices of the readings' time span. */
export function meanOverTime<T extends { t: number }>(
  readings: readonly T[],
  value: (reading: T) => number,
  parts = 10,
): number[] {
  if (readings.length === 0) return []
  const start = readings[0]!.t
  const span = Math.max(1, readings.at(-1)!.t - start)
  const sums = new Array<number>(parts).fill(0)
  const counts = new Array<number>(parts).fill(0)
  for (const reading of readings) {
    const part = Math.min(parts - 1, Math.floor(((reading.t - start) / span) * parts))
    sums[part]! += value(reading)
    counts[part]!++
  }
  return sums.map((sum, part) => (counts[part]! > 0 ? Math.round(sum / counts[part]!) : NaN))
}

/** Longest stretch, in real seconds, in which the server received no request while the run was active. */
export function longestSilence(samples: readonly SimSample[]): number {
  const first = samples.findIndex((sample) => sample.arrivals > 0)
  if (first < 0) return 0
  const total = samples.at(-1)!.completed
  let longest = 0
  let since = samples[first]!
  for (const sample of samples.slice(first + 1)) {
    if (sample.arrivals > since.arrivals) {
      longest = Math.max(longest, sample.elapsedMs - since.elapsedMs)
      since = sample
    }
    if (sample.completed >= total) break
  }
  return Math.round(longest / 100) / 10
}

/** A row of numbers as one compact cell. */
export const sparkRow = (values: readonly number[]) =>
  values.map((value) => (Number.isFinite(value) ? String(value) : '-')).join(' ')

function at(samples: readonly SimSample[], time: number): SimSample | undefined {
  return samples.find((sample) => sample.elapsedMs >= time)
}
