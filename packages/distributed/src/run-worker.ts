import { existsSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '@dataflow/sdk'
import { runPipeline, type LoadedPipeline, type RunCacheOptions } from '@dataflow/core'
import { Worker, WaitingError, type Job } from 'bullmq'
import type { ChunkObserver, ChunkRunInfo } from './chunk-observer.js'
import { chunkFolderName, type ChunkJob, type ChunkResult } from './chunk-spec.js'
import { recordChunkResult } from './chunk-results.js'
import { toChunkPipeline } from './chunk-source.js'
import { checkRedis, connectRedis } from './connect-redis.js'
import { KEYS, QUEUE_NAME } from './redis-keys.js'
import { startHeartbeat } from './worker-heartbeat.js'

export interface WorkerOptions {
  /** `redis://host:6379[/db]`. */
  queue: string
  /** This worker's own `--set` overrides, applied after the coordinator's (e.g. `models.vlm.baseURL=...`). */
  set: string[]
  /** Chunks run at once by this worker (default 1); each chunk has its own item window. */
  concurrency?: number
  /**
   * How long a chunk's lease lasts without renewal, in ms (default 30000). BullMQ renews it every
   * half lease while the chunk runs; a worker that died loses it and another worker takes the
   * chunk after at most about two leases.
   */
  leaseMs?: number
  /** Times a chunk may lose its lease (its worker died) before it goes to the failed list (default 3). */
  maxStalledCount?: number
  cache?: RunCacheOptions
  logger: Logger
  /** Loads the pipeline a job names (the CLI resolves plugins as `run` does). */
  loadPipeline(file: string, set: string[]): Promise<LoadedPipeline>
  /** Graceful stop (SIGTERM): take no new chunk, finish the chunks in hand, then end. */
  stop?: AbortSignal
  /** Hard stop (drain timeout, second signal): hand the chunks in hand back to the queue now, then end. */
  abort?: AbortSignal
  /** Shown by `dataflow status` (default host:pid). */
  name?: string
  /** Called as each chunk run starts (e.g. the worker's Prometheus metrics). */
  observeChunk?(chunk: ChunkRunInfo): ChunkObserver
}

/** Takes chunks from the queue and runs each with the same engine as a local run, in `<runDir>/chunks/<index>`. */
export async function runWorker(options: WorkerOptions): Promise<{ chunks: number }> {
  const { logger } = options
  const name = options.name ?? `${hostname()}:${process.pid}`
  const leaseMs = options.leaseMs ?? 30_000
  const redis = connectRedis(options.queue)
  await checkRedis(redis, options.queue, logger)
  const pipelines = new Map<string, Promise<LoadedPipeline>>()
  const heartbeat = startHeartbeat(redis, name)
  let chunks = 0

  const processChunk = async (job: Job<ChunkJob>, token?: string): Promise<ChunkResult> => {
    const { chunk, runDir } = job.data
    const set = [...job.data.set, ...options.set]
    const key = `${job.data.pipelineFile}\n${set.join('\n')}`
    if (!pipelines.has(key)) pipelines.set(key, options.loadPipeline(job.data.pipelineFile, set))
    const pipeline = await pipelines.get(key)!.catch((error: unknown) => {
      pipelines.delete(key)
      throw error
    })
    const out = join(runDir, 'chunks', chunkFolderName(chunk.index))
    const resume = existsSync(join(out, 'journal.sqlite'))
    logger.info(
      { chunk: chunk.index, size: chunk.size, attempt: job.attemptsMade + 1, resume },
      `${resume ? 'resuming' : 'starting'} chunk ${chunk.index} (${chunk.size} items) of run ${job.data.runId}`,
    )
    const handBack = new AbortController()
    const onAbort = () => handBack.abort()
    options.abort?.addEventListener('abort', onAbort)
    if (options.abort?.aborted) handBack.abort()
    const tracked = heartbeat.track(chunk.index)
    const observer = options.observeChunk?.({ runId: job.data.runId, index: chunk.index, pipeline })
    try {
      const result = await runPipeline(toChunkPipeline(pipeline, chunk), {
        ...(observer?.hooks ? { hooks: [observer.hooks] } : {}),
        out,
        ...(resume ? { resume: true } : {}),
        set,
        quiet: true,
        logLevel: 'warn',
        ...(options.cache ? { cache: options.cache } : {}),
        abort: handBack.signal,
        onStart: (handle, _runDir, telemetry) => {
          observer?.started(telemetry)
          let last = 0
          handle.progress$.subscribe((progress) => {
            tracked.update(progress.done)
            const now = Date.now()
            if (now - last < 1000) return
            last = now
            void job
              .updateProgress({ ok: progress.ok, rejected: progress.rejected, error: progress.error })
              .catch(() => undefined)
          })
        },
      })
      const report = result.report
      if (handBack.signal.aborted) {
        logger.warn({ chunk: chunk.index }, `handing chunk ${chunk.index} back to the queue`)
        await job.moveToWait(token)
        throw new WaitingError()
      }
      if (report.status !== 'completed') {
        throw new Error(report.abortReason?.message ?? `the chunk run ended ${report.status}`)
      }
      const counts: ChunkResult = {
        input: report.input,
        ok: report.outcomes.ok,
        rejected: report.outcomes.rejected,
        error: report.outcomes.error,
        interrupted: report.outcomes.interrupted,
        worker: name,
      }
      await recordChunkResult(redis, job.data.runId, chunk.index, counts)
      chunks++
      logger.info({ chunk: chunk.index, ...counts }, `chunk ${chunk.index} done`)
      return counts
    } finally {
      observer?.ended()
      tracked.end()
      options.abort?.removeEventListener('abort', onAbort)
    }
  }

  const workerConnection = redis.duplicate({ lazyConnect: false })
  const worker = new Worker<ChunkJob, ChunkResult>(QUEUE_NAME, processChunk, {
    connection: workerConnection,
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: leaseMs,
    stalledInterval: Math.max(1000, Math.round(leaseMs / 2)),
    maxStalledCount: options.maxStalledCount ?? 3,
    drainDelay: 1,
  })
  worker.on('failed', (job, error) => {
    if (error instanceof WaitingError) return
    logger.warn({ chunk: job?.data.chunk.index, err: error }, `chunk ${job?.data.chunk.index} failed: ${error.message}`)
  })
  worker.on('error', (error) => logger.warn({ err: error }, `queue error: ${error.message}`))
  logger.info({ queue: options.queue, name }, `worker ${name} takes chunks from ${options.queue}`)
  const stopped = new Promise<void>((resolveStop) => {
    if (options.stop?.aborted) resolveStop()
    options.stop?.addEventListener('abort', () => resolveStop(), { once: true })
  })
  await stopped
  logger.info({ name }, `worker ${name} draining: no new chunks; the chunks in hand finish or are handed back`)
  await worker.close()
  await heartbeat.stop()
  await redis.hdel(KEYS.workers, name)
  workerConnection.disconnect()
  redis.disconnect()
  return { chunks }
}
