import type { InferenceReport } from '@dataflow/inference'
import type { SerializedError } from '@dataflow/sdk'
import type { ResumePlan } from '../runtime/run-store.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { RunProgress } from '../runtime/execute-pipeline.js'
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
  inference: InferenceReport
  media: unknown
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
  | 'status'
  | 'wallMs'
  | 'nodes'
  | 'sinks'
  | 'errorsByCode'
  | 'inference'
  | 'media'
  | 'resume'
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
    inference: input.inference,
    media: input.media,
    ...(input.resume?.resumed ? { resume: input.resume } : {}),
    ...(input.cache ? { cache: input.cache } : {}),
    ...(input.abortReason ? { abortReason: input.abortReason } : {}),
  }
}
