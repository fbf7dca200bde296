import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { DataflowError, type Logger } from '@dataflow/sdk'
import { mergeRuns, type LoadedPipeline, type MergedReport, type RunProgress } from '@dataflow/core'
import { Queue } from 'bullmq'
import { BehaviorSubject, type Observable } from 'rxjs'
import { chunkFolderName, toChunkJobId, type ChunkJob, type ChunkResult } from './chunk-spec.js'
import { readChunkResults } from './chunk-results.js'
import { checkRedis, connectRedis } from './connect-redis.js'
import { cutChunks, FIRST_CUT, type CutPoint } from './cut-chunks.js'
import { readFailedChunks, type FailedChunk } from './failed-chunks.js'
import { openSource } from './open-cutter.js'
import { KEYS, QUEUE_NAME } from './redis-keys.js'
import { toRunId } from './run-id.js'

export interface CoordinatorOptions {
  /** `redis://host:6379[/db]`. */
  queue: string
  pipeline: LoadedPipeline
  /** The `--set` overrides the pipeline was loaded with; workers load it with the same. */
  set: string[]
  /** Absolute run directory on a filesystem every worker sees at the same path. */
  runDir: string
  /** Records per chunk (default 2000). */
  chunkSize?: number
  /** Chunks waiting or running at most, ahead of the workers (default 16): Redis never holds the whole input. */
  window?: number
  /** Attempts per chunk before it goes to the failed list (default 3). */
  attempts?: number
  logger: Logger
  /** Time between looks at the queue, in ms (default 500). */
  pollMs?: number
  /** Stops the coordinator (the run goes on in the workers; the same command continues it). */
  stop?: AbortSignal
}

export interface CoordinatorResult {
  runId: string
  chunks: number
  failed: FailedChunk[]
  /** Merged report of the finished chunks (`<runDir>/merged-report.json`). */
  merged: MergedReport | undefined
  /** Every output file, one per line (`<runDir>/outputs.txt`). */
  outputsFile: string | undefined
  /** `stopped`: the coordinator was stopped before the end; the chunks keep running. */
  status: 'completed' | 'stopped'
}

/** Chunks of the run by state, as the coordinator last saw the queue. */
export interface ChunkCounts {
  /** On the queue, not taken yet (waiting, delayed for a retry or prioritized). */
  waiting: number
  active: number
  done: number
  failed: number
}

export interface CoordinatorHandle {
  runId: string
  progress$: Observable<RunProgress>
  /** Chunk counts at the coordinator's last look at the queue (every `pollMs`). */
  chunks(): ChunkCounts
  done: Promise<CoordinatorResult>
}

interface Meta {
  pipelineFile: string
  runDir: string
  chunkSize: number
  set: string[]
  startedAt: number
  cut: number
  next: CutPoint
  cutDone: boolean
  total: number | null
}

/** Cuts the input into chunks on the queue, follows the workers, merges the chunk runs at the end. */
export function runCoordinator(options: CoordinatorOptions): CoordinatorHandle {
  const runId = toRunId(options.runDir)
  const progress = new BehaviorSubject<RunProgress>({
    total: undefined,
    done: 0,
    ok: 0,
    rejected: 0,
    error: 0,
    interrupted: 0,
    elapsedMs: 0,
  })
  const chunks: ChunkCounts = { waiting: 0, active: 0, done: 0, failed: 0 }
  const done = coordinate(runId, options, progress, chunks).finally(() => progress.complete())
  return { runId, progress$: progress.asObservable(), chunks: () => ({ ...chunks }), done }
}

async function coordinate(
  runId: string,
  options: CoordinatorOptions,
  progress: BehaviorSubject<RunProgress>,
  chunks: ChunkCounts,
): Promise<CoordinatorResult> {
  const { logger, pipeline } = options
  const chunkSize = options.chunkSize ?? 2000
  const window = options.window ?? 16
  const attempts = options.attempts ?? 3
  const pollMs = options.pollMs ?? 500
  const redis = connectRedis(options.queue)
  const aborter = new AbortController()
  let queue: Queue<ChunkJob> | undefined
  let queueConnection: ReturnType<typeof connectRedis> | undefined
  let source: Awaited<ReturnType<typeof openSource>> | undefined
  try {
    await checkRedis(redis, options.queue, logger)
    const current = await redis.get(KEYS.currentRun)
    if (current && current !== runId && (await redis.hget(KEYS.meta(current), 'finished')) !== '1') {
      const other = await redis.hget(KEYS.meta(current), 'runDir')
      throw new DataflowError(
        'DATAFLOW_QUEUE_INVALID',
        `the queue at ${options.queue} is busy with the run in ${other}`,
        {
          hint: 'one distributed run per Redis database: wait for it, use another database (redis://host:6379/1) or continue that run (same --out)',
        },
      )
    }
    await redis.set(KEYS.currentRun, runId)
    const meta = await loadMeta(redis, runId, options, chunkSize)
    mkdirSync(join(options.runDir, 'chunks'), { recursive: true })
    writeFileSync(join(options.runDir, 'pipeline.json'), `${JSON.stringify(pipeline.document, null, 2)}\n`)
    queueConnection = redis.duplicate({ lazyConnect: false })
    queue = new Queue<ChunkJob>(QUEUE_NAME, { connection: queueConnection })
    source = await openSource(pipeline, options.runDir, logger, aborter.signal)
    if (meta.total === null) {
      meta.total = (await source.count?.()) ?? null
      if (meta.total !== null) await redis.hset(KEYS.meta(runId), 'total', String(meta.total))
    }
    if (meta.cut > 0)
      logger.info(
        { cut: meta.cut, cutDone: meta.cutDone },
        `continuing run ${runId}: ${meta.cut} chunks were enqueued before`,
      )
    const cutter = meta.cutDone ? undefined : cutChunks(source, chunkSize, meta.next)[Symbol.asyncIterator]()
    let cutDone = meta.cutDone
    let cut = meta.cut
    let results = new Map<number, ChunkResult>()
    let failed: FailedChunk[] = []
    while (!options.stop?.aborted) {
      results = await readChunkResults(redis, runId)
      failed = await readFailedChunks(queue, runId)
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
      let outstanding = Object.values(counts).reduce((sum, count) => sum + count, 0)
      while (!cutDone && outstanding < window) {
        const next = await cutter!.next()
        if (next.done) {
          cutDone = true
          await redis.hset(KEYS.meta(runId), 'cutDone', '1')
          break
        }
        const { chunk, next: after } = next.value
        if (!results.has(chunk.index)) {
          const data: ChunkJob = { runId, pipelineFile: pipeline.file, set: options.set, runDir: options.runDir, chunk }
          await queue.add('chunk', data, {
            jobId: toChunkJobId(runId, chunk.index),
            attempts,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: false,
          })
          outstanding++
        }
        cut = after.index
        await redis.hset(KEYS.meta(runId), 'cut', String(cut), 'next', JSON.stringify(after))
      }
      Object.assign(chunks, {
        waiting: outstanding - counts['active']!,
        active: counts['active']!,
        done: results.size,
        failed: failed.length,
      })
      progress.next(await overallProgress(queue, runId, results, meta, Date.now()))
      if (cutDone && results.size + failed.length >= cut) break
      await delay(pollMs, undefined, { signal: options.stop }).catch(() => undefined)
    }
    if (options.stop?.aborted)
      return { runId, chunks: cut, failed, merged: undefined, outputsFile: undefined, status: 'stopped' }
    progress.next(await overallProgress(queue, runId, results, meta, Date.now()))
    for (const chunk of failed)
      logger.error(
        { chunk: chunk.index, attempts: chunk.attempts },
        `chunk ${chunk.index} failed after ${chunk.attempts} attempts: ${chunk.reason}`,
      )
    const finished = [...results.keys()].sort((a, b) => a - b)
    const merged =
      finished.length === 0
        ? undefined
        : mergeRuns(finished.map((index) => join(options.runDir, 'chunks', chunkFolderName(index))))
    let outputsFile: string | undefined
    if (merged) {
      writeFileSync(join(options.runDir, 'merged-report.json'), `${JSON.stringify(merged, null, 2)}\n`)
      outputsFile = join(options.runDir, 'outputs.txt')
      writeFileSync(
        outputsFile,
        Object.values(merged.outputs)
          .flat()
          .map((file) => `${file}\n`)
          .join(''),
      )
    }
    if (failed.length === 0) await redis.hset(KEYS.meta(runId), 'finished', '1')
    return { runId, chunks: cut, failed, merged, outputsFile, status: 'completed' }
  } finally {
    aborter.abort()
    await source?.close?.()
    await queue?.close()
    queueConnection?.disconnect()
    redis.disconnect()
  }
}

async function loadMeta(
  redis: ReturnType<typeof connectRedis>,
  runId: string,
  options: CoordinatorOptions,
  chunkSize: number,
): Promise<Meta> {
  const raw = await redis.hgetall(KEYS.meta(runId))
  if (raw['runDir'] === undefined) {
    const meta: Meta = {
      pipelineFile: options.pipeline.file,
      runDir: options.runDir,
      chunkSize,
      set: options.set,
      startedAt: Date.now(),
      cut: 0,
      next: FIRST_CUT,
      cutDone: false,
      total: null,
    }
    await redis.hset(KEYS.meta(runId), {
      pipelineFile: meta.pipelineFile,
      runDir: meta.runDir,
      chunkSize: String(chunkSize),
      set: JSON.stringify(meta.set),
      startedAt: String(meta.startedAt),
      cut: '0',
      next: JSON.stringify(FIRST_CUT),
    })
    return meta
  }
  const meta: Meta = {
    pipelineFile: raw['pipelineFile']!,
    runDir: raw['runDir'],
    chunkSize: Number(raw['chunkSize']),
    set: JSON.parse(raw['set'] ?? '[]') as string[],
    startedAt: Number(raw['startedAt']),
    cut: Number(raw['cut'] ?? 0),
    next: JSON.parse(raw['next'] ?? JSON.stringify(FIRST_CUT)) as CutPoint,
    cutDone: raw['cutDone'] === '1',
    total: raw['total'] === undefined ? null : Number(raw['total']),
  }
  if (meta.chunkSize !== chunkSize || meta.pipelineFile !== options.pipeline.file)
    throw new DataflowError(
      'DATAFLOW_RESUME_MISMATCH',
      `the run in ${options.runDir} was started with ${meta.pipelineFile} and --chunk-size ${meta.chunkSize}`,
      { hint: 'continue it with the same pipeline file and --chunk-size, or give another --out' },
    )
  return meta
}

async function overallProgress(
  queue: Queue<ChunkJob>,
  runId: string,
  results: Map<number, ChunkResult>,
  meta: Meta,
  now: number,
): Promise<RunProgress> {
  const total: RunProgress = {
    total: meta.total ?? undefined,
    done: 0,
    ok: 0,
    rejected: 0,
    error: 0,
    interrupted: 0,
    elapsedMs: now - meta.startedAt,
  }
  for (const result of results.values()) addCounts(total, result)
  for (const job of await queue.getJobs(['active'])) {
    if (job.data.runId !== runId || results.has(job.data.chunk.index)) continue
    const counts = job.progress
    if (typeof counts === 'object' && counts !== null) addCounts(total, counts)
  }
  return total
}

function addCounts(total: RunProgress, counts: Partial<ChunkResult>): void {
  total.ok += counts.ok ?? 0
  total.rejected += counts.rejected ?? 0
  total.error += counts.error ?? 0
  total.done += (counts.ok ?? 0) + (counts.rejected ?? 0) + (counts.error ?? 0)
}
