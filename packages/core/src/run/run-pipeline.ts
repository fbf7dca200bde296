import { existsSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import type { LevelWithSilent } from 'pino'
import { DataflowError, type InferenceClient, type Shard } from '@dataflow/sdk'
import {
  createInferenceService,
  createSqliteRequestCache,
  defaultRequestCachePath,
  type SqliteRequestCache,
} from '@dataflow/inference'
import { createMediaTools } from '@dataflow/media'
import { openDurableSession } from '../journal/durable-session.js'
import { formatResumePlan, type ResumePlan } from '../journal/resume-plan.js'
import { RunJournal } from '../journal/run-journal.js'
import type { RerunSelection } from '../journal/select-rerun.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { executePipeline, type RunHandle } from '../runtime/execute-pipeline.js'
import type { InferenceBinding, RunServices } from '../runtime/run-services.js'
import { createRunLogger } from './create-run-logger.js'
import { defaultRunDirectory, prepareRunDirectory, type RunDirectory } from './run-directory.js'
import { lockRunDirectory } from './run-lock.js'
import type { CacheReport, RunReport } from './run-report.js'
import { writeRunReport } from '../report/write-report.js'
import { readPriorDigest } from '../telemetry/read-telemetry.js'
import { combineHooks, type RunHooks } from '../telemetry/combine-hooks.js'
import { RunTelemetry } from '../telemetry/run-telemetry.js'
import { startTelemetryWriter, type TelemetryWriter } from '../telemetry/telemetry-writer.js'

/** How a run uses the content-addressed request cache shared across runs. */
export interface RunCacheOptions {
  /** `off`: no cache. `read-write` (the CLI's default), `read-only`, `refresh`: see the durable-runs guide. */
  mode: CacheReport['mode']
  /** The SQLite file. Default `$DATAFLOW_CACHE_DIR/requests.sqlite`, else `$XDG_CACHE_HOME/dataflow/requests.sqlite`, else `~/.cache/dataflow/requests.sqlite`. */
  path?: string
}

export interface RunPipelineOptions {
  /** Run directory; default `runs/<name>-<timestamp>`. A directory that holds a run journal is resumed. */
  out?: string
  /** `out` must hold a run journal to resume (`--resume`); otherwise the call fails with DATAFLOW_USAGE. */
  resume?: boolean
  /** Keep a run journal (default true): the run can be resumed, re-run selectively and inspected. */
  journal?: boolean
  /** The `--set` overrides the pipeline was loaded with, stored in the journal so that `rerun` loads the same pipeline. */
  set?: readonly string[]
  /** Opens finished items again before resuming (`dataflow rerun`). */
  rerun?: RerunSelection
  /** Time between sink checkpoints in ms (default 2000). */
  checkpointMs?: number
  /** Request cache; default off (the CLI turns it on, read-write). */
  cache?: RunCacheOptions
  limit?: number
  shard?: Shard
  /** Overrides `run.maxErrorRate`. */
  maxErrorRate?: number
  logLevel?: LevelWithSilent
  quiet?: boolean
  /** Environment for API keys (default process.env). */
  env?: NodeJS.ProcessEnv
  stop?: AbortSignal
  abort?: AbortSignal
  /** Called once the journal was checked, before the first item: what a resumed run will recompute. */
  onPlan?(plan: ResumePlan, runDir: RunDirectory): void
  /** Called once the run has started, e.g. to render progress or serve metrics. */
  onStart?(handle: RunHandle, runDir: RunDirectory, telemetry: RunTelemetry): void
  /** A progress line in run.log (and on the terminal unless quiet) this often, in ms; default none (the CLI turns it on when stderr is not a TTY). */
  progressEveryMs?: number
  /** Per-item and per-request hooks (Prometheus histograms, OpenTelemetry spans); default none, which costs nothing. */
  hooks?: readonly RunHooks[]
  /**
   * Wraps the inference client a node gets for each call (record, replay, preview): return
   * `client` decorated, or another client that never calls it (replay answers without a server).
   */
  wrapClient?: (client: InferenceClient, binding: InferenceBinding) => InferenceClient
}

export interface RunPipelineResult {
  report: RunReport
  runDir: RunDirectory
  /** 0: ok; 1: errors above the allowed rate or the run was aborted by a guard. Signals are the caller's. */
  exitCode: 0 | 1
  /** report.html, unless it could not be written (a warning in the log says why). */
  reportHtml?: string
}

/** The composition root of a run: run directory, journal, logger, shared inference and media services, execution, report. */
export async function runPipeline(
  pipeline: LoadedPipeline,
  options: RunPipelineOptions = {},
): Promise<RunPipelineResult> {
  const out = options.out ?? defaultRunDirectory(pipeline.name, new Date())
  const journaled = options.journal ?? true
  if ((options.resume || options.rerun) && !existsSync(RunJournal.pathIn(out))) {
    throw new DataflowError(
      'DATAFLOW_USAGE',
      `${out} holds no run journal (journal.sqlite): there is nothing to resume`,
      {
        hint: 'give the run directory of an earlier `dataflow run` (it holds journal.sqlite, report.json, run.log)',
      },
    )
  }
  const runDir = await prepareRunDirectory(out)
  const unlock = lockRunDirectory(runDir.path)
  let journal: RunJournal | undefined
  try {
    journal = journaled ? RunJournal.open(runDir.journal) : undefined
  } catch (error) {
    unlock()
    throw error
  }
  let closeLogger: (() => Promise<void>) | undefined
  let closeServices: (() => Promise<void>) | undefined
  let writer: TelemetryWriter | undefined
  try {
    const created = createRunLogger({
      file: runDir.log,
      level: options.logLevel ?? 'info',
      quiet: options.quiet ?? false,
    })
    const { logger } = created
    closeLogger = () => created.close()
    const writePipeline = () => writeFileSync(runDir.pipeline, `${JSON.stringify(pipeline.document, null, 2)}\n`)
    if (!journal) writePipeline()
    const cacheMode = options.cache?.mode ?? 'off'
    const cache: SqliteRequestCache | undefined =
      cacheMode === 'off'
        ? undefined
        : createSqliteRequestCache({
            path: options.cache?.path ?? defaultRequestCachePath(options.env ?? process.env),
            mode: cacheMode,
          })
    if (cache) logger.info({ cache: cache.path, mode: cache.mode }, `request cache ${cache.mode}: ${cache.path}`)
    const media = createMediaTools({ logger: logger.child({ component: 'media' }) })
    const telemetry = new RunTelemetry({
      pipeline,
      prior: options.resume || options.rerun ? await readPriorDigest(runDir.path) : undefined,
      ...(options.hooks?.length ? { forward: combineHooks(options.hooks) } : {}),
    })
    const inference = createInferenceService({
      observer: telemetry,
      models: pipeline.models,
      logger: logger.child({ component: 'inference' }),
      resolveImage: (ref) => media.readImage(ref),
      env: options.env ?? process.env,
      ...(cache ? { cache } : {}),
    })
    closeServices = async () => {
      await inference.close()
      await media.close()
      cache?.close()
    }
    telemetry.attachInference(inference)
    const wrapClient = options.wrapClient
    const services: RunServices = {
      inference: wrapClient
        ? {
            clientFor: (binding) => wrapClient(inference.clientFor(binding), binding),
            onFatal: (listener) => inference.onFatal(listener),
            report: () => inference.report(),
            close: () => inference.close(),
          }
        : inference,
      media,
    }
    logger.info({ pipeline: pipeline.name, runDir: runDir.path }, `run ${pipeline.name} -> ${runDir.path}`)
    const handle = executePipeline(pipeline, {
      runDir: runDir.path,
      logger,
      services,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
      ...(options.abort ? { abort: options.abort } : {}),
      observer: telemetry.observer,
      ...(journal
        ? {
            store: openDurableSession(journal, {
              pipelineFile: pipeline.file,
              set: options.set ?? [],
              ...(options.rerun ? { rerun: options.rerun } : {}),
              limit: options.limit,
              shard: options.shard,
            }),
            ...(options.checkpointMs === undefined ? {} : { checkpointMs: options.checkpointMs }),
            onPlan: (plan: ResumePlan) => {
              // Written only now: a refused resume leaves the run directory as it was.
              writePipeline()
              if (plan.resumed) logger.info({ plan }, formatResumePlan(plan).trimEnd())
              options.onPlan?.(plan, runDir)
            },
          }
        : {}),
    })
    telemetry.attachNodes(handle.nodes)
    const progressSubscription = handle.progress$.subscribe((progress) => telemetry.setProgress(progress))
    writer = startTelemetryWriter({
      telemetry,
      runDir: runDir.path,
      pipeline: pipeline.name,
      logger,
      progressEveryMs: options.progressEveryMs,
    })
    options.onStart?.(handle, runDir, telemetry)
    const finished = await handle.done.finally(() => progressSubscription.unsubscribe())
    await writer.stop(finished.status)
    writer = undefined
    const report: RunReport = {
      ...finished,
      ...(cache ? { cache: { mode: cache.mode, path: cache.path, ...cache.stats() } } : {}),
    }
    await writeFile(runDir.report, `${JSON.stringify(report, null, 2)}\n`)
    let reportHtml: string | undefined
    try {
      reportHtml = (await writeRunReport(runDir.path)).path
    } catch (error) {
      logger.warn({ err: error }, 'could not write report.html; `dataflow report <run dir>` writes it again')
    }
    const maxErrorRate = options.maxErrorRate ?? pipeline.run.maxErrorRate
    const exitCode = report.status === 'aborted' || report.errorRate > maxErrorRate ? 1 : 0
    if (report.abortReason) logger.error({ reason: report.abortReason }, report.abortReason.message)
    return { report, runDir, exitCode, ...(reportHtml ? { reportHtml } : {}) }
  } finally {
    await writer?.stop('aborted')
    await closeServices?.()
    journal?.close()
    await closeLogger?.()
    unlock()
  }
}
