import type { EndpointGauge, InferenceReport } from '@dataflow/inference'
import type { NodeCounts } from '../run/node-stats.js'
import type { RunProgress } from '../runtime/execute-pipeline.js'

/**
 * The state of a run now, as a scrape reads it (Prometheus `/metrics`): item outcomes of the
 * whole run; node counts, requests, tokens, cost and retries of this session (as in report.json).
 */
export interface LiveSnapshot {
  progress: RunProgress
  /** Calls per node by how they ended (this session). */
  nodes: Record<string, NodeCounts>
  /** Admission state of every endpoint now. */
  endpoints: EndpointGauge[]
  /** Retried attempts by model, endpoint and cause (this session). */
  retries: Array<{ model: string; endpoint: string; cause: string; count: number }>
  /** The same object as report.json's `inference` (this session). */
  inference: InferenceReport
}
