import {
  formatInferenceReport,
  formatResumePlan,
  runPipeline,
  type LoadedPipeline,
  type RunHandle,
  type RunPipelineOptions,
  type RunPipelineResult,
} from '@dataflow/core'
import type { Subscription } from 'rxjs'
import { renderProgress } from '../progress-line.js'
import { formatCompactInference } from '../compact-inference.js'
import { formatSummary } from '../summary-table.js'
import type { CommandIo } from './command.js'
import { startRunMetrics } from './start-run-metrics.js'
import { startRunTracing } from './start-run-tracing.js'
import { SIGNAL_EXIT, type StopSignals } from './stop-signals.js'
import { PROGRESS_SECONDS, type TelemetrySettings } from './telemetry-settings.js'

export interface ExecuteRunSettings extends Partial<TelemetrySettings> {
  quiet: boolean
  maxErrorRate: number | undefined
  /** Full tables (more than 100 columns) instead of the compact summary. */
  wide?: boolean
  /** Installed by the command before it loaded the pipeline. */
  signals: StopSignals
  /** Called after the summary is printed (e.g. to show the rows of a short trial run). */
  onFinished?(result: RunPipelineResult): void
}

/**
 * Runs a loaded pipeline as `run` and `rerun` do: Ctrl-C drains then interrupts, the resume plan
 * is printed before the first item, progress on a TTY, the summary at the end. Returns the exit code.
 */
export async function executeRun(
  pipeline: LoadedPipeline,
  options: RunPipelineOptions,
  settings: ExecuteRunSettings,
  io: CommandIo,
): Promise<number> {
  const { signals } = settings
  let progress: Subscription | undefined
  const progressSeconds = settings.progressSeconds ?? PROGRESS_SECONDS
  const unattended = !settings.quiet && !io.stderr.isTTY && progressSeconds > 0
  const metrics =
    settings.metricsAddress === undefined ? undefined : await startRunMetrics(pipeline, settings.metricsAddress)
  if (metrics && !settings.quiet) io.stderr.write(`metrics: ${metrics.url}\n`)
  const tracing = await startRunTracing(pipeline, options.env ?? process.env)
  const hooks = [...(options.hooks ?? []), ...(metrics ? [metrics.hooks] : []), ...(tracing ? [tracing.hooks] : [])]
  try {
    const result = await runPipeline(pipeline, {
      ...options,
      ...(hooks.length > 0 ? { hooks } : {}),
      stop: signals.stop,
      abort: signals.abort,
      quiet: settings.quiet,
      ...(unattended ? { progressEveryMs: progressSeconds * 1000 } : {}),
      ...(settings.maxErrorRate === undefined ? {} : { maxErrorRate: settings.maxErrorRate }),
      onPlan: (plan) => {
        if (plan.resumed) io.stdout.write(formatResumePlan(plan))
      },
      onStart: (handle: RunHandle, _runDir, telemetry) => {
        metrics?.attach(() => telemetry.snapshot())
        if (!settings.quiet) progress = renderProgress(handle.progress$, io.stderr)
      },
    })
    progress?.unsubscribe()
    const inference = settings.wide
      ? formatInferenceReport(result.report.inference)
      : formatCompactInference(result.report.inference)
    io.stdout.write(formatSummary(result.report, ['', inference], settings.wide ?? false))
    if (result.reportHtml) io.stdout.write(`\nreport: ${result.reportHtml}\n`)
    settings.onFinished?.(result)
    const stoppedBy = signals.stoppedBy()
    if (stoppedBy) return SIGNAL_EXIT[stoppedBy]
    if (result.exitCode === 1 && result.report.status !== 'aborted') {
      io.stderr.write(
        `error rate ${(result.report.errorRate * 100).toFixed(1)}% is above the allowed ${((settings.maxErrorRate ?? pipeline.run.maxErrorRate) * 100).toFixed(1)}%\n`,
      )
    }
    return result.exitCode
  } finally {
    progress?.unsubscribe()
    await metrics?.close()
    await tracing?.shutdown()
  }
}
