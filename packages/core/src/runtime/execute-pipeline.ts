import {
  DataflowError,
  toDataflowError,
  type ItemContext,
  type Logger,
  type Shard,
  type SourceRecord,
} from '@dataflow/sdk'
import { BehaviorSubject, lastValueFrom, type Observable } from 'rxjs'
import { finalize, tap } from 'rxjs/operators'
import { setMaxListeners } from 'node:events'
import { setTimeout as delay } from 'node:timers/promises'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { NodeStats } from '../run/node-stats.js'
import { createRunReport, type RunReport } from '../run/run-report.js'
import { DurableSession, ERRORS_SINK, type DurableOptions } from '../journal/durable-session.js'
import type { ResumePlan } from '../journal/resume-plan.js'
import type { RunJournal } from '../journal/run-journal.js'
import { createExecutionPlan } from './execution-plan.js'
import { closeInstances, createSinks, instantiate, type InstantiateOptions } from './instantiate.js'
import type { ItemOutcome } from './item-outcome.js'
import { abortTogether, ItemRun, type ItemRunEnvironment } from './item-run.js'
import { createNodeRunner } from './node-runner.js'
import { pullWithCredits } from './pull-with-credits.js'
import { MeteredClient } from './metered-client.js'
import { countItems, keepShard, positionRecords, takeRecords, type PositionedRecord } from './records.js'
import { openErrorsSink } from './errors-sink.js'
import type { RunServices } from './run-services.js'
import type { RunObserver } from '../telemetry/run-observer.js'
import { SinkDispatcher, toSinkTarget, type SinkTarget } from './sink-dispatcher.js'

/** Default time between two sink checkpoints of a journaled run. */
const CHECKPOINT_MS = 2000

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
   * The run journal (journal.sqlite): makes the run resumable. A journal with items makes this a
   * resume: finished items are skipped, finished nodes reused, sinks continued from their checkpoints.
   */
  journal?: RunJournal
  /** What the journal stores about this session and, for `dataflow rerun`, which items to open again. */
  durable?: Omit<DurableOptions, 'limit' | 'shard'> & {
    /** Time between sink checkpoints in ms (default 2000). */
    checkpointMs?: number
  }
  /** Called after the journal was checked and before the first item: what this session will do. */
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
  const stopController = new AbortController()
  const abortController = new AbortController()
  // Plugins may listen on the run's signal (NodeContext.signal) from many items at once.
  setMaxListeners(0, abortController.signal)
  let abortError: DataflowError | undefined
  const abortRun = (error: DataflowError) => {
    abortError ??= error
    stopController.abort(error)
    abortController.abort(error)
  }
  const forwardStop = () => stopController.abort(options.stop?.reason)
  const forwardAbort = () => {
    stopController.abort(options.abort?.reason)
    abortController.abort(options.abort?.reason)
  }
  options.stop?.addEventListener('abort', forwardStop, { once: true })
  options.abort?.addEventListener('abort', forwardAbort, { once: true })
  // A stop that came before the run (Ctrl-C while plugins loaded) ends it before the first item.
  if (options.abort?.aborted) forwardAbort()
  else if (options.stop?.aborted) forwardStop()
  const offFatal = options.services.inference.onFatal(abortRun)

  const instantiateOptions: InstantiateOptions = {
    runDir: options.runDir,
    logger: options.logger,
    signal: abortController.signal,
    services: options.services,
    shard: options.shard,
  }
  const instances = await instantiate(pipeline, instantiateOptions)
  let session: DurableSession | undefined
  let opened: SinkDispatcher | undefined
  try {
    if (options.journal) {
      session = await DurableSession.open(options.journal, pipeline, instances, {
        pipelineFile: options.durable?.pipelineFile ?? pipeline.file,
        set: options.durable?.set ?? [],
        ...(options.durable?.rerun ? { rerun: options.durable.rerun } : {}),
        limit: options.limit,
        shard: options.shard,
      })
      options.journal.onFailure(abortRun)
      options.onPlan?.(session.plan)
    }
    const sinkInstances = await createSinks(pipeline, instantiateOptions, (id) => session?.resumeFrom(id))
    const errorsSink = await openErrorsSink(
      options.runDir,
      session?.resumeFrom(ERRORS_SINK),
      session?.startOrd(ERRORS_SINK) ?? 0,
    ).catch(async (error: unknown) => {
      for (const sink of sinkInstances) await Promise.resolve(sink.close()).catch(() => undefined)
      throw error
    })
    const targets: SinkTarget[] = pipeline.sinks.map((loaded, index) =>
      toSinkTarget(loaded, sinkInstances[index]!, session?.startOrd(loaded.id)),
    )
    targets.push(errorsSink)
    opened = new SinkDispatcher(targets)
    if (session) {
      const replayed = await session.replay(opened)
      opened.delivered(session.journal.lastOrd)
      if (replayed > 0)
        options.logger.info(
          { replayed },
          `wrote ${replayed} finished item${replayed === 1 ? '' : 's'} again to sinks past their last checkpoint`,
        )
    }
  } catch (error) {
    offFatal()
    options.stop?.removeEventListener('abort', forwardStop)
    options.abort?.removeEventListener('abort', forwardAbort)
    await opened?.close().catch(() => undefined)
    await closeInstances(instances)
    throw error
  }
  const sinks = opened
  const runners = instances.nodes.map((instance, index) => createNodeRunner(pipeline.nodes[index]!.id, instance))
  const plan = createExecutionPlan(pipeline.nodes, runners)
  const errorsByCode: Record<string, number> = { ...session?.prepared.kept.errorsByCode }
  const recorder = session?.recorder

  const total = await countItems(instances.source.count?.(), !pipeline.source.definition.shards, options)
  const kept = session?.prepared.kept
  progress.next({
    ...progress.value,
    total,
    ...(kept
      ? { done: kept.ok + kept.rejected + kept.error, ok: kept.ok, rejected: kept.rejected, error: kept.error }
      : {}),
  })

  const loggers = plan.ids.map((id) => options.logger.child({ node: id }))
  const observeNode = options.observer?.node?.bind(options.observer)
  const observeOutcome = options.observer?.outcome?.bind(options.observer)
  const environment: ItemRunEnvironment = {
    plan,
    runSignal: abortController.signal,
    itemControllers: abortTogether(abortController.signal),
    now,
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
    recordNode: observeNode
      ? (index, event, elapsed, sequence) => {
          stats.record(index, event, elapsed)
          observeNode(sequence, index, event, elapsed)
        }
      : (index, event, elapsed) => stats.record(index, event, elapsed),
    ...(recorder ? { results: recorder } : {}),
    contextFor(index, sequence, signal, attempt, meter): ItemContext {
      const node = plan.nodes[index]!.node
      // A plain literal: V8 builds object literals holding a getter on a slow path (~0.4 µs each).
      return {
        signal,
        attempt,
        media: options.services.media,
        inference: new MeteredClient(
          options.services.inference.clientFor({ node: node.id, priority: node.depth, sequence, signal }),
          meter,
        ),
        logger: loggers[index]!,
      }
    },
  }

  let records: AsyncIterable<SourceRecord> = instances.source.read()
  if (options.shard && !pipeline.source.definition.shards) records = keepShard(records, options.shard)
  if (options.limit !== undefined) records = takeRecords(records, options.limit)

  const checkpointMs = options.durable?.checkpointMs ?? CHECKPOINT_MS
  let lastCheckpoint = now()
  let checkpointing: Promise<void> | undefined
  const checkpoint = (): Promise<void> => {
    lastCheckpoint = now()
    const taken = sinks.checkpoint().then(
      ({ ord, positions }) => session!.recordCheckpoint(ord, positions),
      (error: unknown) =>
        options.logger.warn({ err: error }, 'sink checkpoint failed; the next one will cover these items'),
    )
    checkpointing = taken.finally(() => (checkpointing = undefined))
    return checkpointing
  }

  const finishItem = async ({ seq, record, prior }: PositionedRecord): Promise<ItemOutcome> => {
    const itemStartedAt = observeOutcome ? now() : 0
    let outcome: ItemOutcome = record.error
      ? {
          id: record.id,
          sequence: seq,
          outcome: 'error',
          item: record.data ?? {},
          outputs: {},
          statuses: {},
          failures: [],
          metrics: {},
          error: { node: 'source', error: toDataflowError(record.error).toJSON(), attempts: 1 },
        }
      : await new ItemRun(environment, record.id, seq, record.data, prior).run()
    // Interrupted items are not final: a resumed run redoes them, so with a journal they stay out of the sinks.
    if (recorder && outcome.outcome === 'interrupted') {
      recorder.recordOutcome(outcome)
      observeOutcome?.(outcome, now() - itemStartedAt)
      return outcome
    }
    const ord = recorder?.recordOutcome(outcome) ?? 0
    const sinkFailure = await sinks.dispatch(outcome, ord)
    if (sinkFailure && outcome.outcome !== 'error') {
      outcome = { ...outcome, outcome: 'error', error: sinkFailure }
      recorder?.recordOutcome(outcome, ord)
    }
    if (outcome.outcome === 'error' && outcome.error)
      errorsByCode[outcome.error.error.code] = (errorsByCode[outcome.error.error.code] ?? 0) + 1
    if (session && checkpointing === undefined && now() - lastCheckpoint >= checkpointMs) void checkpoint()
    observeOutcome?.(outcome, now() - itemStartedAt)
    return outcome
  }

  const outcomes$ = pullWithCredits(positionRecords(records, session), finishItem, {
    window: pipeline.run.window,
    stop: stopController.signal,
  }).pipe(
    tap((outcome) => {
      if (outcome.outcome === 'error') options.logger.debug({ item: outcome.id, error: outcome.error }, 'item failed')
      // A copy whose keys are then set, not `{ ...current, done: ... }`: V8 (Node 20) takes a slow
      // path for keys written after a leading spread (~0.7 µs each).
      const next = { ...progress.value }
      next.done++
      next[outcome.outcome]++
      next.elapsedMs = now() - startedAt
      progress.next(next)
    }),
    finalize(() => offFatal()),
  )
  try {
    await lastValueFrom(outcomes$, { defaultValue: undefined })
  } finally {
    options.stop?.removeEventListener('abort', forwardStop)
    options.abort?.removeEventListener('abort', forwardAbort)
    for (const runner of runners)
      await runner.close().catch((error: unknown) => options.logger.warn({ err: error }, 'node close failed'))
    if (session) {
      await checkpointing
      await checkpoint()
      session.journal.flush()
    }
    await sinks.close()
    await instances.source.close?.()
  }
  const final = progress.value
  const status = abortError ? 'aborted' : stopController.signal.aborted ? 'stopped' : 'completed'
  return createRunReport({
    pipeline,
    runDir: options.runDir,
    status,
    startedAt: startedAtDate,
    wallMs: now() - startedAt,
    progress: final,
    nodes: stats.report(),
    sinks: sinks.counts(),
    errorsByCode,
    inference: options.services.inference.report(),
    media: options.services.media.stats?.(),
    ...(session ? { resume: session.plan } : {}),
    ...(abortError ? { abortReason: abortError.toJSON() } : {}),
  })
}
