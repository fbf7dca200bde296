import { createHistogram, type Histogram, type HistogramSummary } from '@dataflow/sdk'
import type { NodeEvent } from '../runtime/item-run.js'

export type NodeCounts = Record<NodeEvent, number>

export interface NodeReport extends NodeCounts {
  /** Wall time of the node's calls that ran in this process (done, failed, rejected, error), in ms. `reused`: results taken from the run journal. */
  latencyMs: HistogramSummary
}

/** Counts and latency percentiles per node, in fixed memory. */
export class NodeStats {
  private readonly counts: NodeCounts[]
  private readonly latencies: Histogram[]

  constructor(private readonly ids: readonly string[]) {
    this.counts = ids.map(() => ({ done: 0, skipped: 0, failed: 0, rejected: 0, error: 0, cancelled: 0, reused: 0 }))
    this.latencies = ids.map(() => createHistogram())
  }

  record(index: number, event: NodeEvent, elapsedMs: number): void {
    this.counts[index]![event]++
    if (event !== 'skipped' && event !== 'cancelled' && event !== 'reused') this.latencies[index]!.record(elapsedMs)
  }

  report(): Record<string, NodeReport> {
    return Object.fromEntries(
      this.ids.map((id, index) => [id, { ...this.counts[index]!, latencyMs: this.latencies[index]!.summary() }]),
    )
  }
}
