import { writeFile } from 'node:fs/promises'
import type { LevelWithSilent } from 'pino'
import type { Shard } from '@dataflow/sdk'
import { createInferenceService } from '@dataflow/inference'
import { createMediaTools } from '@dataflow/media'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { executePipeline, type RunHandle } from '../runtime/execute-pipeline.js'
import type { RunServices } from '../runtime/run-services.js'
import { createRunLogger } from './create-run-logger.js'
import { defaultRunDirectory, prepareRunDirectory, type RunDirectory } from './run-directory.js'
import type { RunReport } from './run-report.js'

export interface RunPipelineOptions {
  /** Run directory; default `runs/<name>-<timestamp>`. */
  out?: string
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
  /** Called once the run has started, e.g. to render progress. */
  onStart?(handle: RunHandle, runDir: RunDirectory): void
}

export interface RunPipelineResult {
  report: RunReport
  runDir: RunDirectory
  /** 0: ok; 1: errors above the allowed rate or the run was aborted by a guard. Signals are the caller's. */
  exitCode: 0 | 1
}

/** The composition root of a run: run directory, logger, shared inference and media services, execution, report. */
export async function runPipeline(pipeline: LoadedPipeline, options: RunPipelineOptions = {}): Promise<RunPipelineResult> {
  const runDir = await prepareRunDirectory(options.out ?? defaultRunDirectory(pipeline.name, new Date()))
  const { logger, close: closeLogger } = createRunLogger({ file: runDir.log, level: options.logLevel ?? 'info', quiet: options.quiet ?? false })
  await writeFile(runDir.pipeline, `${JSON.stringify(pipeline.document, null, 2)}\n`)
  const media = createMediaTools({ logger: logger.child({ component: 'media' }) })
  const inference = createInferenceService({
    models: pipeline.models,
    logger: logger.child({ component: 'inference' }),
    resolveImage: (ref) => media.readImage(ref),
    env: options.env ?? process.env,
  })
  const services: RunServices = { inference, media }
  logger.info({ pipeline: pipeline.name, runDir: runDir.path }, `run ${pipeline.name} -> ${runDir.path}`)
  try {
    const handle = executePipeline(pipeline, {
      runDir: runDir.path, logger, services,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
      ...(options.abort ? { abort: options.abort } : {}),
    })
    options.onStart?.(handle, runDir)
    const report = await handle.done
    await writeFile(runDir.report, `${JSON.stringify(report, null, 2)}\n`)
    const maxErrorRate = options.maxErrorRate ?? pipeline.run.maxErrorRate
    const exitCode = report.status === 'aborted' || report.errorRate > maxErrorRate ? 1 : 0
    if (report.abortReason) logger.error({ reason: report.abortReason }, report.abortReason.message)
    return { report, runDir, exitCode }
  } finally {
    await inference.close()
    await media.close()
    await closeLogger()
  }
}
