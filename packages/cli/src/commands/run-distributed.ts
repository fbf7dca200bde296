import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { LoadedPipeline } from '@dataflow/core'
import { createConsoleLogger, runCoordinator, type CoordinatorResult } from '@dataflow/distributed'
import { DataflowError } from '@dataflow/sdk'
import { formatProgress, renderProgress } from '../progress-line.js'
import { startCoordinatorMetrics } from './start-coordinator-metrics.js'
import type { CommandIo } from './command.js'
import type { LogLevel } from './log-level.js'
import { SIGNAL_EXIT, type StopSignals } from './stop-signals.js'

export interface DistributedRunSettings {
  queue: string
  set: string[]
  out: string | undefined
  chunkSize: number | undefined
  logLevel: LogLevel
  quiet: boolean
  maxErrorRate: number | undefined
  progressSeconds: number
  signals: StopSignals
  /** `--metrics-port`: items over all workers and chunks by state. */
  metricsAddress: string | undefined
  /** Flags that make no sense with --queue, by name, when given. */
  refused: string[]
}

/**
 * `dataflow run --queue`: the coordinator. The default run directory depends only on the pipeline,
 * its overrides and the queue, so that the same command started again continues the same run.
 */
export async function runDistributed(
  pipeline: LoadedPipeline,
  settings: DistributedRunSettings,
  io: CommandIo,
): Promise<number> {
  if (settings.refused.length > 0)
    throw new DataflowError('DATAFLOW_USAGE', `--queue does not go with ${settings.refused.join(', ')}`, {
      hint: 'a distributed run takes the whole input and is continued by giving the same command (same --out) again',
    })
  const key = createHash('sha256')
    .update(JSON.stringify([pipeline.file, settings.set, settings.queue]))
    .digest('hex')
    .slice(0, 8)
  const runDir = resolve(settings.out ?? join('runs', `${pipeline.name}-q${key}`))
  const logger = createConsoleLogger(settings.quiet ? 'warn' : settings.logLevel, io.stderr)
  const metrics =
    settings.metricsAddress === undefined
      ? undefined
      : await startCoordinatorMetrics(settings.metricsAddress, pipeline.name)
  if (metrics && !settings.quiet) io.stderr.write(`metrics: ${metrics.url}\n`)
  const handle = runCoordinator({
    queue: settings.queue,
    pipeline,
    set: settings.set,
    runDir,
    ...(settings.chunkSize === undefined ? {} : { chunkSize: settings.chunkSize }),
    logger,
    stop: settings.signals.stop,
  })
  metrics?.attach(handle)
  logger.info({ runDir, queue: settings.queue }, `distributed run ${handle.runId} -> ${runDir}`)
  const tty = settings.quiet ? undefined : renderProgress(handle.progress$, io.stderr)
  let lastLine = 0
  const lines =
    settings.quiet || io.stderr.isTTY || settings.progressSeconds <= 0
      ? undefined
      : handle.progress$.subscribe((progress) => {
          if (Date.now() - lastLine < settings.progressSeconds * 1000) return
          lastLine = Date.now()
          io.stderr.write(`progress ${formatProgress(progress)}\n`)
        })
  let result: CoordinatorResult
  try {
    result = await handle.done
  } finally {
    tty?.unsubscribe()
    lines?.unsubscribe()
    await metrics?.close()
  }
  const stoppedBy = settings.signals.stoppedBy()
  if (result.status === 'stopped') {
    io.stdout.write(
      `coordinator stopped; the workers go on with the enqueued chunks. Give the same command again to continue (run ${runDir}).\n`,
    )
    return stoppedBy ? SIGNAL_EXIT[stoppedBy] : 1
  }
  io.stdout.write(formatCoordinatorResult(result, runDir))
  const maxErrorRate = settings.maxErrorRate ?? pipeline.run.maxErrorRate
  if (result.failed.length > 0) return 1
  return (result.merged?.errorRate ?? 0) > maxErrorRate ? 1 : 0
}

function formatCoordinatorResult(result: CoordinatorResult, runDir: string): string {
  const lines = [`distributed run ${result.runId}: ${result.chunks} chunks, ${result.failed.length} failed`]
  const merged = result.merged
  if (merged) {
    const { outcomes } = merged
    lines.push(
      `items ${merged.input}: ok ${outcomes.ok}, rejected ${outcomes.rejected}, error ${outcomes.error}, interrupted ${outcomes.interrupted} (${merged.itemsPerSecond} items/s)`,
    )
    for (const [sink, files] of Object.entries(merged.outputs)) lines.push(`${sink}: ${files.length} file(s)`)
    lines.push(`merged report: ${join(runDir, 'merged-report.json')}`)
    if (result.outputsFile) lines.push(`output files: ${result.outputsFile}`)
  }
  for (const chunk of result.failed)
    lines.push(`FAILED chunk ${chunk.index} after ${chunk.attempts} attempts: ${chunk.reason}`)
  if (result.failed.length > 0)
    lines.push('retry them with `dataflow status --queue <url> --retry-failed`, then give the same run command again')
  return `${lines.join('\n')}\n`
}
