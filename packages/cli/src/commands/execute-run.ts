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
import { formatSummary } from '../summary-table.js'
import type { CommandIo } from './command.js'
import { SIGNAL_EXIT, type StopSignals } from './stop-signals.js'

export interface ExecuteRunSettings {
  quiet: boolean
  maxErrorRate: number | undefined
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
  try {
    const result = await runPipeline(pipeline, {
      ...options,
      stop: signals.stop,
      abort: signals.abort,
      quiet: settings.quiet,
      ...(settings.maxErrorRate === undefined ? {} : { maxErrorRate: settings.maxErrorRate }),
      onPlan: (plan) => {
        if (plan.resumed) io.stdout.write(formatResumePlan(plan))
      },
      onStart: (handle: RunHandle) => {
        if (!settings.quiet) progress = renderProgress(handle.progress$, io.stderr)
      },
    })
    progress?.unsubscribe()
    io.stdout.write(formatSummary(result.report, ['', formatInferenceReport(result.report.inference)]))
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
  }
}
