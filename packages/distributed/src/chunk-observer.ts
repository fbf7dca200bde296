import type { LoadedPipeline, RunHooks, RunTelemetry } from '@dataflow/core'

/** What a worker tells an observer (the CLI's `--metrics-port`) about one chunk run. */
export interface ChunkRunInfo {
  runId: string
  index: number
  /** The pipeline as this worker loaded it (its own `--set` applied). */
  pipeline: LoadedPipeline
}

/** Follows one chunk run: hooks passed to its runPipeline, its live telemetry once started, its end. */
export interface ChunkObserver {
  hooks?: RunHooks
  started(telemetry: RunTelemetry): void
  /** The chunk run ended (completed, failed or handed back). */
  ended(): void
}
