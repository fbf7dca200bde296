/**
 * @dataflow/core: loads and validates pipeline files, runs them (per-item DAG inside an RxJS
 * item stream), and writes run directories with reports.
 */
export * from './pipeline/index.js'
export * from './expression/index.js'
export { executePipeline, type ExecuteOptions, type RunHandle, type RunProgress } from './runtime/execute-pipeline.js'
export type { InferenceBinding, RunServices } from './runtime/run-services.js'
export { formatProjection, projectRun, type RunProjection } from './runtime/run-projection.js'
export type {
  CommitListener,
  KeptOutcomes,
  NodeResultSink,
  OpenRunStore,
  RunStore,
  StoredItem,
} from './runtime/run-store.js'
export type { ItemFailure, ItemOutcome, ItemRejection, OutcomeKind } from './runtime/item-outcome.js'
export {
  runPipeline,
  type RunCacheOptions,
  type RunPipelineOptions,
  type RunPipelineResult,
} from './run/run-pipeline.js'
export type { CacheReport, RunReport } from './run/run-report.js'
export { mergeRuns, type MergedReport, type MergedRun } from './run/merge-runs.js'
export * from './journal/index.js'
export type { NodeReport } from './run/node-stats.js'
export { defaultRunDirectory, prepareRunDirectory, type RunDirectory } from './run/run-directory.js'
export { formatInferenceReport } from '@dataflow/inference'
export { writeRunReport } from './report/write-report.js'
export { RunTelemetry } from './telemetry/run-telemetry.js'
export type { RunObserver } from './telemetry/run-observer.js'
export { combineHooks, type RunHooks } from './telemetry/combine-hooks.js'
export type { LiveSnapshot } from './telemetry/live-snapshot.js'
export type { RunStatus } from './telemetry/run-status.js'
export type { TelemetryDigest, SessionStatus } from './telemetry/telemetry-digest.js'
export type { TimeSeriesPoint } from './telemetry/time-series.js'
export { telemetryFilesIn, type TelemetryFiles } from './telemetry/telemetry-files.js'
export { LATENCY_BOUNDS_MS } from './run/node-stats.js'
export { renderGraph, toDot, toMermaid, type GraphFormat } from './graph/render-graph.js'

import { isDataflowError } from '@dataflow/sdk'
import { PipelineError } from './pipeline/diagnostic.js'

/** True for the error `loadPipeline` throws when the file has problems (works across package copies). */
export function isPipelineError(value: unknown): value is PipelineError {
  return isDataflowError(value) && Array.isArray((value as { diagnostics?: unknown }).diagnostics)
}
