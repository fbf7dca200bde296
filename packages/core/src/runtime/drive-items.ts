import { toDataflowError, type ItemContext, type Logger, type Shard, type SourceRecord } from '@dataflow/sdk'
import { lastValueFrom, type BehaviorSubject } from 'rxjs'
import { tap } from 'rxjs/operators'
import { setTimeout as delay } from 'node:timers/promises'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { NodeStats } from '../run/node-stats.js'
import type { RunObserver } from '../telemetry/run-observer.js'
import { createExecutionPlan } from './execution-plan.js'
import type { RunProgress } from './execute-pipeline.js'
import type { ItemOutcome } from './item-outcome.js'
import { abortTogether, ItemRun, type ItemRunEnvironment } from './item-run.js'
import type { OpenedRun } from './open-run.js'
import { pullWithCredits } from './pull-with-credits.js'
import { formatProjection, projectionThreshold, projectRun } from './run-projection.js'
import { countItems, keepShard, positionRecords, takeRecords, type PositionedRecord } from './records.js'
import type { ResourceStack } from './resource-stack.js'
import type { RunControl } from './run-control.js'
import type { RunServices } from './run-services.js'
import { SourceProgress } from './source-progress.js'

/** Default time between two sink checkpoints of a run with a store. */
const CHECKPOINT_MS = 2000

export interface DriveOptions {
  logger: Logger
  services: RunServices
  limit?: number | undefined
  shard?: Shard | undefined
  checkpointMs?: number | undefined
  now: () => number
  startedAt: number
  /** Counts and latencies per node, filled as nodes end. */
  stats: NodeStats
  /** Per-item telemetry hooks. */
  observer?: RunObserver | undefined
}

/** What the report needs from the items' stream. */
export interface DriveResult {
  errorsByCode: Record<string, number>
  /** Items of the whole input (after --shard, without --limit), when the source can count them. */
  inputItems: number | undefined
  /** Items that finished in this session. */
  sessionItems: number
}

/**
 * Streams the source's records through the graph under the window, writes each outcome to the
 * sinks (and the store), checkpoints the sinks every `checkpointMs`, and publishes progress after
 * every item. The final checkpoint goes on `stack`, to run before the sinks close.
 */
export async function driveItems(
  pipeline: LoadedPipeline,
  opened: OpenedRun,
  control: RunControl,
  progress: BehaviorSubject<RunProgress>,
  options: DriveOptions,
  stack: ResourceStack,
): Promise<DriveResult> {
  const { instances, runners, store, sinks } = opened
  const { now, logger } = options
  const plan = createExecutionPlan(pipeline.nodes, runners)
  const { stats } = options
  const errorsByCode: Record<string, number> = { ...store?.kept.errorsByCode }

  const inputItems = await countItems(instances.source.count?.(), !pipeline.source.definition.shards, {
    shard: options.shard,
  })
  const total =
    inputItems === undefined || options.limit === undefined ? inputItems : Math.min(inputItems, options.limit)
  const kept = store?.kept
  progress.next({
    ...progress.value,
    total,
    ...(kept
      ? { done: kept.ok + kept.rejected + kept.error, ok: kept.ok, rejected: kept.rejected, error: kept.error }
      : {}),
  })
  const keptItems = progress.value.done
  const projectAfter = projectionThreshold(total === undefined ? undefined : Math.max(0, total - keptItems))
  let sessionItems = 0

  const loggers = plan.ids.map((id) => logger.child({ node: id }))
  const observeNode = options.observer?.node?.bind(options.observer)
  const observeOutcome = options.observer?.outcome?.bind(options.observer)
  const environment: ItemRunEnvironment = {
    plan,
    runSignal: control.abort.signal,
    itemControllers: abortTogether(control.abort.signal),
    now,
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
    recordNode: observeNode
      ? (index, event, elapsed, sequence) => {
          stats.record(index, event, elapsed)
          observeNode(sequence, index, event, elapsed)
        }
      : (index, event, elapsed) => stats.record(index, event, elapsed),
    ...(store ? { results: store } : {}),
    contextFor(index, sequence, signal, attempt, meter): ItemContext {
      const node = plan.nodes[index]!.node
      // A plain literal: V8 builds object literals holding a getter on a slow path (~0.4 µs each).
      return {
        signal,
        attempt,
        media: options.services.media,
        inference: options.services.inference.clientFor({
          node: node.id,
          priority: node.depth,
          sequence,
          signal,
          onRequest: meter,
        }),
        logger: loggers[index]!,
      }
    },
  }

  // A source that gave positions continues after the finished prefix instead of reading it again
  // (not when the core keeps every n-th record: positions count the source's own records).
  const coreShards = options.shard !== undefined && !pipeline.source.definition.shards
  const resume = coreShards ? undefined : store?.sourceResume()
  const sourceProgress = new SourceProgress(resume)
  let records: AsyncIterable<SourceRecord> = resume ? instances.source.read(resume.position) : instances.source.read()
  if (resume) logger.info({ seq: resume.seq }, `the source continues after the first ${resume.seq} finished items`)
  if (coreShards) records = keepShard(records, options.shard!)
  if (options.limit !== undefined) records = takeRecords(records, options.limit - (resume?.seq ?? 0))

  const checkpointMs = options.checkpointMs ?? CHECKPOINT_MS
  let lastCheckpoint = now()
  let checkpointing: Promise<void> | undefined
  const checkpoint = (): Promise<void> => {
    lastCheckpoint = now()
    const sourceResume = sourceProgress.checkpoint()
    const taken = sinks.checkpoint().then(
      ({ ord, positions }) => {
        store!.recordCheckpoint(ord, positions)
        if (sourceResume) store!.recordSourceResume(sourceResume)
      },
      (error: unknown) => logger.warn({ err: error }, 'sink checkpoint failed; the next one will cover these items'),
    )
    checkpointing = taken.finally(() => (checkpointing = undefined))
    return checkpointing
  }
  if (store) {
    stack.defer(async () => {
      await checkpointing
      await checkpoint()
      store.flush()
    })
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
    // Interrupted items are not final: a resumed run redoes them, so with a store they stay out of the sinks.
    if (store && outcome.outcome === 'interrupted') {
      store.recordOutcome(outcome)
      observeOutcome?.(outcome, now() - itemStartedAt)
      return outcome
    }
    const ord = store?.recordOutcome(outcome) ?? 0
    sourceProgress.finished(seq)
    const sinkFailure = await sinks.dispatch(outcome, ord)
    if (sinkFailure && outcome.outcome !== 'error') {
      outcome = { ...outcome, outcome: 'error', error: sinkFailure }
      store?.recordOutcome(outcome, ord)
    }
    if (outcome.outcome === 'error' && outcome.error)
      errorsByCode[outcome.error.error.code] = (errorsByCode[outcome.error.error.code] ?? 0) + 1
    if (store && checkpointing === undefined && now() - lastCheckpoint >= checkpointMs) void checkpoint()
    observeOutcome?.(outcome, now() - itemStartedAt)
    return outcome
  }

  const outcomes$ = pullWithCredits(positionRecords(records, store, sourceProgress, resume?.seq), finishItem, {
    window: pipeline.run.window,
    stop: control.stop.signal,
  }).pipe(
    tap((outcome) => {
      if (outcome.outcome === 'error') logger.debug({ item: outcome.id, error: outcome.error }, 'item failed')
      // A copy whose keys are then set, not `{ ...current, done: ... }`: V8 (Node 20) takes a slow
      // path for keys written after a leading spread (~0.7 µs each).
      const next = { ...progress.value }
      next.done++
      next[outcome.outcome]++
      next.elapsedMs = now() - options.startedAt
      if (++sessionItems === projectAfter) {
        next.projection = projectRun({
          items: inputItems,
          done: next.done,
          sessionItems,
          sessionElapsedMs: next.elapsedMs,
          inference: options.services.inference.report(),
        })
        logger.info({ projection: next.projection }, formatProjection(next.projection))
      }
      progress.next(next)
    }),
  )
  await lastValueFrom(outcomes$, { defaultValue: undefined })
  return { errorsByCode, inputItems, sessionItems }
}
