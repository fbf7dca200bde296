import { createHistogram, type Histogram, type HistogramSummary } from '@dataflow/sdk'
import type { NodeEvent } from '../runtime/item-run.js'

export type NodeCounts = Record<NodeEvent, number>

export interface NodeReport extends NodeCounts {
  /** Wall time of the node's calls that ran in this process (done, failed, rejected, error), in ms. `reused`: results taken from the run journal. */
  latencyMs: HistogramSummary
}

/**
 * Upper bounds (ms) of the coarse latency buckets kept per node for histograms (report.html,
 * Prometheus `le` in seconds); a last bucket holds everything slower.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 60_000, 120_000, 300_000,
]

/** Calls per latency bucket of one node (not cumulative; `counts[i]` for `bounds[i-1] < ms <= bounds[i]`, last: slower), with their sum. */
export interface LatencyBuckets {
  counts: number[]
  sumMs: number
}

/** Counts and latency percentiles per node, in fixed memory. */
export class NodeStats {
  private readonly counts: NodeCounts[]
  private readonly latencies: Histogram[]
  private readonly buckets: Float64Array[]

  constructor(private readonly ids: readonly string[]) {
    this.counts = ids.map(() => ({ done: 0, skipped: 0, failed: 0, rejected: 0, error: 0, cancelled: 0, reused: 0 }))
    this.latencies = ids.map(() => createHistogram())
    this.buckets = ids.map(() => new Float64Array(LATENCY_BOUNDS_MS.length + 1))
  }

  record(index: number, event: NodeEvent, elapsedMs: number): void {
    this.counts[index]![event]++
    if (event !== 'skipped' && event !== 'cancelled' && event !== 'reused') {
      this.latencies[index]!.record(elapsedMs)
      let bucket = 0
      while (bucket < LATENCY_BOUNDS_MS.length && elapsedMs > LATENCY_BOUNDS_MS[bucket]!) bucket++
      this.buckets[index]![bucket]!++
    }
  }

  report(): Record<string, NodeReport> {
    return Object.fromEntries(
      this.ids.map((id, index) => [id, { ...this.counts[index]!, latencyMs: this.latencies[index]!.summary() }]),
    )
  }

  /** Latency buckets per node id (see {@link LATENCY_BOUNDS_MS}). */
  latencyBuckets(): Record<string, LatencyBuckets> {
    return Object.fromEntries(
      this.ids.map((id, index) => [
        id,
        { counts: Array.from(this.buckets[index]!), sumMs: Math.round(this.latencies[index]!.sum * 10) / 10 },
      ]),
    )
  }
}
