import { DataflowError, toDataflowError, type ItemContext, type Logger, type Shard, type SourceRecord } from '@dataflow/sdk'
import { BehaviorSubject, lastValueFrom, type Observable } from 'rxjs'
import { finalize, tap } from 'rxjs/operators'
import { setMaxListeners } from 'node:events'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { JsonlFile } from '../run/jsonl-file.js'
import { NodeStats } from '../run/node-stats.js'
import { createRunReport, type RunReport } from '../run/run-report.js'
import { createExecutionPlan } from './execution-plan.js'
import { instantiate } from './instantiate.js'
import type { ItemOutcome } from './item-outcome.js'
import { ItemRun, type ItemRunEnvironment } from './item-run.js'
import { createNodeRunner } from './node-runner.js'
import { pullWithCredits } from './pull-with-credits.js'
import { meteredClient } from './metered-client.js'
import { keepShard, takeRecords } from './records.js'
import type { RunServices } from './run-services.js'
import { SinkDispatcher } from './sink-dispatcher.js'

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
}

/** Starts a run of a loaded pipeline. Never rejects for item failures: they are outcomes. */
export function executePipeline(pipeline: LoadedPipeline, options: ExecuteOptions): RunHandle {
  const now = options.now ?? (() => performance.now())
  const startedAt = now()
  const progress = new BehaviorSubject<RunProgress>({ total: undefined, done: 0, ok: 0, rejected: 0, error: 0, interrupted: 0, elapsedMs: 0 })
  const done = run(pipeline, options, now, startedAt, progress).finally(() => progress.complete())
  return { progress$: progress.asObservable(), done }
}

async function run(
  pipeline: LoadedPipeline,
  options: ExecuteOptions,
  now: () => number,
  startedAt: number,
  progress: BehaviorSubject<RunProgress>,
): Promise<RunReport> {
  const startedAtDate = new Date()
  const stopController = new AbortController()
  const abortController = new AbortController()
  // Every item in flight listens on the run's abort signal (and removes its listener when it ends).
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
  const offFatal = options.services.inference.onFatal(abortRun)

  const instances = await instantiate(pipeline, {
    runDir: options.runDir, logger: options.logger, signal: abortController.signal, services: options.services, shard: options.shard,
  })
  const runners = instances.nodes.map((instance, index) => createNodeRunner(pipeline.nodes[index]!.id, instance))
  const plan = createExecutionPlan(pipeline.nodes, runners)
  const stats = new NodeStats(plan.ids)
  const sinks = new SinkDispatcher(pipeline.sinks.map((loaded, index) => ({ loaded, instance: instances.sinks[index]! })))
  const errors = new JsonlFile(join(options.runDir, 'errors.jsonl'))
  const errorsByCode: Record<string, number> = {}

  const total = await countItems(instances.source.count?.(), pipeline, options)
  progress.next({ ...progress.value, total })

  const loggers = plan.ids.map((id) => options.logger.child({ node: id }))
  const environment: ItemRunEnvironment = {
    plan,
    runSignal: abortController.signal,
    now,
    sleep: (ms, signal) => delay(ms, undefined, { signal }),
    recordNode: (index, event, elapsed) => stats.record(index, event, elapsed),
    contextFor(index, sequence, signal, attempt, meter): ItemContext {
      const node = plan.nodes[index]!.node
      return {
        signal,
        attempt,
        media: options.services.media,
        inference: meteredClient(options.services.inference.clientFor({ node: node.id, priority: node.depth, sequence, signal }), meter),
        get logger() {
          return loggers[index]!
        },
      }
    },
  }

  let records: AsyncIterable<SourceRecord> = instances.source.read()
  if (options.shard && !pipeline.source.definition.shards) records = keepShard(records, options.shard)
  if (options.limit !== undefined) records = takeRecords(records, options.limit)

  const finishItem = async (record: SourceRecord, sequence: number): Promise<ItemOutcome> => {
    let outcome: ItemOutcome = record.error
      ? {
          id: record.id, sequence, outcome: 'error', item: record.data ?? {}, outputs: {}, statuses: {}, failures: [], metrics: {},
          error: { node: 'source', error: toDataflowError(record.error).toJSON(), attempts: 1 },
        }
      : await new ItemRun(environment, record.id, sequence, record.data).run()
    const sinkFailure = await sinks.dispatch(outcome)
    if (sinkFailure && outcome.outcome !== 'error') outcome = { ...outcome, outcome: 'error', error: sinkFailure }
    if (outcome.outcome === 'error' && outcome.error) {
      errorsByCode[outcome.error.error.code] = (errorsByCode[outcome.error.error.code] ?? 0) + 1
      await errors.write({ id: outcome.id, node: outcome.error.node, attempts: outcome.error.attempts, error: outcome.error.error, item: outcome.item })
    }
    return outcome
  }

  const outcomes$ = pullWithCredits(records, finishItem, { window: pipeline.run.window, stop: stopController.signal }).pipe(
    tap((outcome) => {
      if (outcome.outcome === 'error') options.logger.debug({ item: outcome.id, error: outcome.error }, 'item failed')
      const current = progress.value
      progress.next({ ...current, done: current.done + 1, [outcome.outcome]: current[outcome.outcome] + 1, elapsedMs: now() - startedAt })
    }),
    finalize(() => offFatal()),
  )
  try {
    await lastValueFrom(outcomes$, { defaultValue: undefined })
  } finally {
    options.stop?.removeEventListener('abort', forwardStop)
    options.abort?.removeEventListener('abort', forwardAbort)
    for (const runner of runners) await runner.close().catch((error: unknown) => options.logger.warn({ err: error }, 'node close failed'))
    await sinks.close()
    await errors.close()
    await instances.source.close?.()
  }
  const final = progress.value
  const status = abortError ? 'aborted' : stopController.signal.aborted ? 'stopped' : 'completed'
  return createRunReport({
    pipeline, runDir: options.runDir, status, startedAt: startedAtDate, wallMs: now() - startedAt, progress: final,
    nodes: stats.report(), sinks: sinks.counts(), errorsByCode,
    inference: options.services.inference.report(), media: options.services.media.stats?.(),
    ...(abortError ? { abortReason: abortError.toJSON() } : {}),
  })
}

async function countItems(count: Promise<number | undefined> | undefined, pipeline: LoadedPipeline, options: ExecuteOptions) {
  let total = await count?.catch(() => undefined)
  if (total === undefined) return undefined
  if (options.shard && !pipeline.source.definition.shards) {
    total = Math.max(0, Math.ceil((total - options.shard.index) / options.shard.count))
  }
  return options.limit === undefined ? total : Math.min(total, options.limit)
}
