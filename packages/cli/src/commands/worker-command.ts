import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatDiagnostics, isPipelineError, loadPipeline } from '@dataflow/core'
import { createConsoleLogger, runWorker, type ChunkRunInfo } from '@dataflow/distributed'
import { DataflowError } from '@dataflow/sdk'
import { WORKER_FLAGS } from '../flags.js'
import { toNumber } from '../parse-command-line.js'
import { toCacheOptions } from './cache-options.js'
import type { Command } from './command.js'
import { toLogLevel } from './log-level.js'
import { startWorkerMetrics } from './start-worker-metrics.js'
import { watchStopSignals } from './stop-signals.js'

const RESOLVE_FROM = [process.cwd(), dirname(fileURLToPath(import.meta.url))]

export const workerCommand: Command<typeof WORKER_FLAGS> = {
  name: 'worker',
  usage: 'dataflow worker --queue redis://host:6379 [--concurrency n] [--set models.vlm.baseURL=...]',
  summary:
    'Take chunks of distributed runs from a Redis queue and run them (one per machine, next to its model servers).',
  flags: WORKER_FLAGS,
  positionals: 0,
  async run({ flags, io }) {
    if (flags.queue === undefined)
      throw new DataflowError('DATAFLOW_USAGE', 'worker needs --queue', {
        hint: 'e.g. dataflow worker --queue redis://127.0.0.1:6379',
      })
    const concurrency = toNumber(flags.concurrency, 'concurrency', { min: 1, integer: true }) ?? 1
    const lease = toNumber(flags.lease, 'lease', { min: 1 }) ?? 30
    const drainSeconds = toNumber(flags['drain-timeout'], 'drain-timeout', { min: 0 }) ?? 300
    const logger = createConsoleLogger(toLogLevel(flags['log-level']), io.stderr)
    const name = flags.name ?? `${hostname()}:${process.pid}`
    const metrics =
      flags['metrics-port'] === undefined ? undefined : await startWorkerMetrics(flags['metrics-port'], name)
    if (metrics) logger.info({ url: metrics.url }, `metrics: ${metrics.url}`)
    const signals = watchStopSignals(io, drainSeconds)
    try {
      const { chunks } = await runWorker({
        queue: flags.queue,
        set: flags.set ?? [],
        concurrency,
        leaseMs: lease * 1000,
        cache: toCacheOptions(flags.cache, flags['cache-path']),
        logger,
        name,
        ...(metrics ? { observeChunk: (chunk: ChunkRunInfo) => metrics.observeChunk(chunk) } : {}),
        stop: signals.stop,
        abort: signals.abort,
        loadPipeline: async (file, set) => {
          try {
            return await loadPipeline(file, { env: process.env, set, resolveFrom: RESOLVE_FROM })
          } catch (error) {
            if (!isPipelineError(error)) throw error
            throw new Error(`the pipeline does not load on this worker:\n${formatDiagnostics(error.diagnostics)}`)
          }
        },
      })
      io.stdout.write(`worker ended after ${chunks} chunk(s)\n`)
      // A drained worker ends cleanly: its chunks in hand were finished or handed back (exit 0 on SIGTERM).
      return 0
    } finally {
      signals.dispose()
      await metrics?.close()
    }
  },
}
