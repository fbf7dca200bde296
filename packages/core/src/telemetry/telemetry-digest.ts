import type { InferenceReport } from '@dataflow/inference'
import type { HistogramSummary } from '@dataflow/sdk'
import type { NodeCounts } from '../run/node-stats.js'
import type { RunProgress } from '../runtime/execute-pipeline.js'
import type { ErrorDigest } from './error-groups.js'
import type { FacetCounts } from './facets.js'
import type { GallerySample } from './gallery-sampler.js'

/** Bumped when `telemetry.json` changes incompatibly; an older digest is not carried into a resumed session. */
export const TELEMETRY_VERSION = 1

/** How a session of the run ended; `running` until it ends (a killed session stays `running`). */
export type SessionStatus = 'running' | 'completed' | 'stopped' | 'aborted'

/** Counts and coarse latency buckets of one node over every session of the run. */
export interface NodeDigest {
  counts: NodeCounts
  /** Calls per latency bucket, bounds in `latencyBoundsMs`. */
  buckets: number[]
  sumMs: number
}

/**
 * `telemetry.json`: what report.html is drawn from besides the time series, rewritten every few
 * seconds during the run (so a killed run keeps it, as of its last write) and at the end.
 */
export interface TelemetryDigest {
  version: number
  pipeline: { name: string; file: string }
  updatedAt: string
  sessions: Array<{ startedAt: string; status: SessionStatus }>
  /** The DAG: node ids, plugins, needs and depth, in pipeline order. */
  graph: Array<{ id: string; uses: string; needs: string[]; depth: number }>
  /** Latest progress (whole run). */
  progress: RunProgress
  latencyBoundsMs: number[]
  nodes: Record<string, NodeDigest>
  /** The caption field the gallery shows, when a node declares one. */
  textField?: { node: string; key: string }
  facets: FacetCounts[]
  gallery: GallerySample
  errors: ErrorDigest
  /** Retried attempts, by model, endpoint and cause (this session). */
  retries: Array<{ model: string; endpoint: string; cause: string; count: number }>
  /** Time requests waited for a slot, per endpoint (this session; requests admitted at once are not counted). */
  queueWaits: Record<string, HistogramSummary>
  /** Usage, limits and cost of this session (the same object as report.json's `inference`). */
  inference: InferenceReport
}
