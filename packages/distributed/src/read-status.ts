import type { Logger } from '@dataflow/sdk'
import { Queue } from 'bullmq'
import type { ChunkJob, ChunkResult } from './chunk-spec.js'
import { readChunkResults } from './chunk-results.js'
import { checkRedis, connectRedis } from './connect-redis.js'
import { readFailedChunks, type FailedChunk } from './failed-chunks.js'
import { KEYS, QUEUE_NAME } from './redis-keys.js'
import type { WorkerBeat } from './worker-heartbeat.js'

/** What `dataflow status --queue` shows. */
export interface QueueStatus {
  runId: string | undefined
  runDir: string | undefined
  /** Chunks cut so far, and whether the whole input was cut. */
  cut: number
  cutDone: boolean
  chunks: { waiting: number; active: number; done: number; failed: number }
  items: { done: number; ok: number; rejected: number; error: number; total: number | undefined }
  failed: FailedChunk[]
  workers: WorkerBeat[]
  /** Chunks moved from failed back to waiting by `retryFailed`. */
  retried?: number
}

/** Reads the queue and the run's state; with `retryFailed`, first puts failed chunks back on the queue. */
export async function readStatus(
  url: string,
  logger: Pick<Logger, 'warn'>,
  options: { retryFailed?: boolean } = {},
): Promise<QueueStatus> {
  const redis = connectRedis(url)
  let queue: Queue<ChunkJob> | undefined
  let queueConnection: ReturnType<typeof connectRedis> | undefined
  try {
    await checkRedis(redis, url, logger)
    queueConnection = redis.duplicate({ lazyConnect: false })
    queue = new Queue<ChunkJob>(QUEUE_NAME, { connection: queueConnection })
    const runId = (await redis.get(KEYS.currentRun)) ?? undefined
    let retried: number | undefined
    if (options.retryFailed) {
      const failed = await queue.getJobs(['failed'])
      for (const job of failed) await job.retry('failed', { resetAttemptsMade: true })
      retried = failed.length
    }
    const meta = runId ? await redis.hgetall(KEYS.meta(runId)) : {}
    const results = runId ? await readChunkResults(redis, runId) : new Map<number, ChunkResult>()
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    const failed = runId ? await readFailedChunks(queue, runId) : []
    const items = {
      done: 0,
      ok: 0,
      rejected: 0,
      error: 0,
      total: meta['total'] === undefined ? undefined : Number(meta['total']),
    }
    for (const result of results.values()) {
      items.ok += result.ok
      items.rejected += result.rejected
      items.error += result.error
      items.done += result.ok + result.rejected + result.error
    }
    const workers = Object.values(await redis.hgetall(KEYS.workers)).map((json) => JSON.parse(json) as WorkerBeat)
    return {
      runId,
      runDir: meta['runDir'],
      cut: Number(meta['cut'] ?? 0),
      cutDone: meta['cutDone'] === '1',
      chunks: {
        waiting: (counts['waiting'] ?? 0) + (counts['delayed'] ?? 0) + (counts['prioritized'] ?? 0),
        active: counts['active'] ?? 0,
        done: results.size,
        failed: failed.length,
      },
      items,
      failed,
      workers: workers.sort((a, b) => a.name.localeCompare(b.name)),
      ...(retried === undefined ? {} : { retried }),
    }
  } finally {
    await queue?.close()
    queueConnection?.disconnect()
    redis.disconnect()
  }
}

/** The status as lines for a terminal. */
export function formatStatus(status: QueueStatus, now = Date.now()): string {
  if (!status.runId) return 'no distributed run on this queue\n'
  const lines = [
    `run ${status.runId}  ${status.runDir ?? ''}`,
    `chunks  waiting ${status.chunks.waiting}  active ${status.chunks.active}  done ${status.chunks.done}  failed ${status.chunks.failed}  (cut ${status.cut}${status.cutDone ? ', whole input' : ', input still being cut'})`,
    `items   done ${status.items.done}${status.items.total === undefined ? '' : `/${status.items.total}`}  ok ${status.items.ok}  rejected ${status.items.rejected}  errors ${status.items.error}  (finished chunks)`,
  ]
  if (status.retried !== undefined) lines.push(`retried ${status.retried} failed chunk(s): back on the queue`)
  for (const chunk of status.failed)
    lines.push(`failed chunk ${chunk.index} after ${chunk.attempts} attempts: ${chunk.reason}`)
  lines.push(status.workers.length === 0 ? 'workers: none' : 'workers:')
  for (const worker of status.workers) {
    const ago = Math.max(0, Math.round((now - worker.beatAt) / 1000))
    lines.push(
      `  ${worker.name.padEnd(24)} ${worker.itemsPerSecond.toFixed(1).padStart(7)} items/s  ${String(worker.items).padStart(8)} items  chunks [${worker.chunks.join(', ')}]  last heartbeat ${ago}s ago`,
    )
  }
  return `${lines.join('\n')}\n`
}
