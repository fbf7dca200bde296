/**
 * A fixed-memory latency histogram (log-spaced buckets, ~2% relative error) for percentiles
 * over millions of samples.
 */
export interface Histogram {
  record(value: number): void
  /** q in [0, 1]; 0 when empty. */
  percentile(q: number): number
  readonly count: number
  readonly sum: number
  readonly max: number
  summary(): HistogramSummary
}

export interface HistogramSummary {
  count: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
}

const GROWTH = 1.02
const LOG_GROWTH = Math.log(GROWTH)
const BUCKETS = 2048 // covers MIN..~4e14
const MIN = 1e-3

export function createHistogram(): Histogram {
  const counts = new Float64Array(BUCKETS)
  let count = 0
  let sum = 0
  let max = 0
  let zeros = 0
  const bucketOf = (value: number) => Math.min(BUCKETS - 1, Math.floor(Math.log(value / MIN) / LOG_GROWTH) + 1)
  const valueOf = (bucket: number) => MIN * Math.pow(GROWTH, bucket - 0.5)
  const histogram: Histogram = {
    record(value) {
      if (!(value >= 0)) return
      count++
      sum += value
      if (value > max) max = value
      if (value < MIN) zeros++
      else counts[bucketOf(value)]!++
    },
    percentile(q) {
      if (count === 0) return 0
      const rank = Math.max(1, Math.ceil(q * count))
      if (rank <= zeros) return 0
      let seen = zeros
      for (let bucket = 0; bucket < BUCKETS; bucket++) {
        seen += counts[bucket]!
        if (seen >= rank) return Math.min(max, valueOf(bucket))
      }
      return max
    },
    get count() {
      return count
    },
    get sum() {
      return sum
    },
    get max() {
      return max
    },
    summary() {
      const round = (v: number) => Math.round(v * 1000) / 1000
      return {
        count,
        mean: round(count === 0 ? 0 : sum / count),
        p50: round(histogram.percentile(0.5)),
        p90: round(histogram.percentile(0.9)),
        p95: round(histogram.percentile(0.95)),
        p99: round(histogram.percentile(0.99)),
        max: round(max),
      }
    },
  }
  return histogram
}
