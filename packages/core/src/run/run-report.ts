import type { InferenceReport } from '@dataflow/inference'
import type { SerializedError } from '@dataflow/sdk'
import type { ResumePlan } from '../runtime/run-store.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { RunProgress } from '../runtime/execute-pipeline.js'
import type { RunProjection } from '../runtime/run-projection.js'
import type { NodeReport } from './node-stats.js'

/** The machine-readable summary of a run, written to `report.json`. */
export interface RunReport {
  pipeline: { name: string; file: string }
  runDir: string
  /** `completed`: the input was exhausted. `stopped`: a signal stopped it. `aborted`: a guard stopped it. */
  status: 'completed' | 'stopped' | 'aborted'
  startedAt: string
  finishedAt: string
  wallMs: number
  /** `i/n` when the run took one shard of the input (`--shard`). */
  shard?: string
  /** `--limit` of this session, if any. */
  limit?: number
  /** Input records that got an outcome. */
  input: number
  /** Records the source announced, when known. */
  expected: number | undefined
  outcomes: { ok: number; rejected: number; error: number; interrupted: number }
  /** error / input. */
  errorRate: number
  itemsPerSecond: number
  errorsByCode: Record<string, number>
  nodes: Record<string, NodeReport>
  /** Records written per sink. */
  sinks: Record<string, number>
  /**
   * The files each sink has written (over every session), by sink id (`#errors`: errors.jsonl);
   * relative to the run directory when inside it. Outputs of several runs combine by listing them.
   */
  outputs: Record<string, string[]>
  inference: InferenceReport
  media: unknown
  /** The whole input (without --limit) extrapolated from this session's items: size, ETA, GPU-hours and cost. */
  projection?: RunProjection
  /** What this session did with the run journal (resumed runs only). Outcome counts cover the whole run. */
  resume?: ResumePlan
  /** The request cache of this session: where, mode, and what it saved. */
  cache?: CacheReport
  abortReason?: SerializedError
}

/** Request cache figures of one session. */
export interface CacheReport {
  mode: 'read-write' | 'read-only' | 'refresh' | 'off'
  path?: string
  hits: number
  misses: number
  writes: number
  savedPromptTokens: number
  savedCompletionTokens: number
}

/** What the executor hands over; the counts and rates of the report are derived from `progress`. */
export type RunReportInput = Pick<
  RunReport,
  | 'runDir'
  | 'shard'
  | 'limit'
  | 'status'
  | 'wallMs'
  | 'nodes'
  | 'sinks'
  | 'outputs'
  | 'errorsByCode'
  | 'inference'
  | 'media'
  | 'resume'
  | 'projection'
  | 'cache'
  | 'abortReason'
> & {
  pipeline: LoadedPipeline
  startedAt: Date
  progress: RunProgress
}

export function createRunReport(input: RunReportInput): RunReport {
  const { progress } = input
  return {
    pipeline: { name: input.pipeline.name, file: input.pipeline.file },
    runDir: input.runDir,
    status: input.status,
    startedAt: input.startedAt.toISOString(),
    finishedAt: new Date(input.startedAt.getTime() + input.wallMs).toISOString(),
    wallMs: Math.round(input.wallMs),
    ...(input.shard === undefined ? {} : { shard: input.shard }),
    ...(input.limit === undefined ? {} : { limit: input.limit }),
    input: progress.done,
    expected: progress.total,
    outcomes: {
      ok: progress.ok,
      rejected: progress.rejected,
      error: progress.error,
      interrupted: progress.interrupted,
    },
    errorRate: progress.done === 0 ? 0 : progress.error / progress.done,
    itemsPerSecond: input.wallMs > 0 ? Math.round((progress.done / input.wallMs) * 1000 * 100) / 100 : 0,
    errorsByCode: input.errorsByCode,
    nodes: input.nodes,
    sinks: input.sinks,
    outputs: input.outputs,
    inference: input.inference,
    media: input.media,
    ...(input.projection ? { projection: input.projection } : {}),
    ...(input.resume?.resumed ? { resume: input.resume } : {}),
    ...(input.cache ? { cache: input.cache } : {}),
    ...(input.abortReason ? { abortReason: input.abortReason } : {}),
  }
}
