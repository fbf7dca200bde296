import type { Logger, Shard } from '@dataflow/sdk'
import { BehaviorSubject, type Observable } from 'rxjs'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { NodeStats } from '../run/node-stats.js'
import { createRunReport, type RunReport } from '../run/run-report.js'
import type { RunObserver } from '../telemetry/run-observer.js'
import { driveItems, type DriveResult } from './drive-items.js'
import { openRun } from './open-run.js'
import { ResourceStack } from './resource-stack.js'
import { RunControl } from './run-control.js'
import { toRunPaths } from './to-run-paths.js'
import { projectRun, type RunProjection } from './run-projection.js'
import type { RunServices } from './run-services.js'
import type { OpenRunStore, ResumePlan } from './run-store.js'

export interface ExecuteOptions {
  /** Existing run directory: errors.jsonl lands here and relative sink paths resolve inside it. */
  runDir: string
  logger: Logger
  services: RunServices
  /** Process at most this many input records. */
  limit?: number
  shard?: Shard
  /** Graceful stop: nothing more is pulled; items in flight finish. */
  stop?: AbortSignal
  /** Hard stop: items in flight end as `interrupted`. */
  abort?: AbortSignal
  now?: () => number
  /**
   * Durable run state (the run journal, see `openDurableSession`): makes the run resumable. A store
   * holding items makes this a resume: finished items are skipped, finished nodes reused, sinks
   * continued from their checkpoints.
   */
  store?: OpenRunStore
  /** Time between sink checkpoints of a run with a store, in ms (default 2000). */
  checkpointMs?: number
  /** Called after the store was checked and before the first item: what this session will do. */
  onPlan?(plan: ResumePlan): void
  /** Per-item telemetry hooks. */
  observer?: RunObserver
}

/** Counters that change with every finished item. */
export interface RunProgress {
  /** Items the source will produce, when known. */
  total: number | undefined
  done: number
  ok: number
  rejected: number
  error: number
  interrupted: number
  elapsedMs: number
  /** What the whole input will take, once enough items of this session finished (set once). */
  projection?: RunProjection
}

export interface RunHandle {
  /** Emits after every finished item; completes when the run ends. */
  progress$: Observable<RunProgress>
  /** Resolves when every item has an outcome, sinks are closed and the report is written. */
  done: Promise<RunReport>
  /** Live counts and latencies per node (this session). */
  nodes: NodeStats
}

/** Starts a run of a loaded pipeline. Never rejects for item failures: they are outcomes. */
export function executePipeline(pipeline: LoadedPipeline, options: ExecuteOptions): RunHandle {
  const now = options.now ?? (() => performance.now())
  const startedAt = now()
  const progress = new BehaviorSubject<RunProgress>({
    total: undefined,
    done: 0,
    ok: 0,
    rejected: 0,
    error: 0,
    interrupted: 0,
    elapsedMs: 0,
  })
  const nodes = new NodeStats(pipeline.nodes.map((node) => node.id))
  const done = run(pipeline, options, now, startedAt, progress, nodes).finally(() => progress.complete())
  return { progress$: progress.asObservable(), done, nodes }
}

async function run(
  pipeline: LoadedPipeline,
  options: ExecuteOptions,
  now: () => number,
  startedAt: number,
  progress: BehaviorSubject<RunProgress>,
  stats: NodeStats,
): Promise<RunReport> {
  const startedAtDate = new Date()
  const control = new RunControl()
  const stack = new ResourceStack()
  let opened: Awaited<ReturnType<typeof openRun>>
  let driven: DriveResult
  try {
    opened = await openRun(pipeline, options, control, stack)
    driven = await driveItems(
      pipeline,
      opened,
      control,
      progress,
      {
        logger: options.logger,
        services: options.services,
        limit: options.limit,
        shard: options.shard,
        checkpointMs: options.checkpointMs,
        now,
        startedAt,
        stats,
        observer: options.observer,
      },
      stack,
    )
  } catch (error) {
    await stack.close().catch((cleanup: unknown) => options.logger.warn({ err: cleanup }, 'closing the run failed'))
    throw error
  }
  await stack.close()
  const final = progress.value
  const inference = options.services.inference.report()
  const status = control.abortError ? 'aborted' : control.stop.signal.aborted ? 'stopped' : 'completed'
  return createRunReport({
    pipeline,
    runDir: options.runDir,
    ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    status,
    startedAt: startedAtDate,
    wallMs: now() - startedAt,
    progress: final,
    nodes: stats.report(),
    sinks: opened.sinks.counts(),
    outputs: toRunPaths(opened.sinks.outputs(), options.runDir),
    errorsByCode: driven.errorsByCode,
    inference,
    media: options.services.media.stats?.(),
    ...(driven.sessionItems > 0
      ? {
          projection: projectRun({
            items: driven.inputItems,
            done: final.done,
            sessionItems: driven.sessionItems,
            sessionElapsedMs: final.elapsedMs,
            inference,
          }),
        }
      : {}),
    ...(opened.store ? { resume: opened.store.plan } : {}),
    ...(control.abortError ? { abortReason: control.abortError.toJSON() } : {}),
  })
}
