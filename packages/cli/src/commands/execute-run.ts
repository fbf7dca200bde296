import { formatInferenceReport, formatResumePlan, runPipeline, type LoadedPipeline, type RunHandle, type RunPipelineOptions } from '@dataflow/core'
import type { Subscription } from 'rxjs'
import { renderProgress } from '../progress-line.js'
import { formatSummary } from '../summary-table.js'
import type { CommandIo } from './command.js'

/** Exit codes for runs ended by a signal, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const

export interface ExecuteRunSettings {
  quiet: boolean
  drainSeconds: number
  maxErrorRate: number | undefined
}

/**
 * Runs a loaded pipeline as `run` and `rerun` do: Ctrl-C drains then interrupts, the resume plan
 * is printed before the first item, progress on a TTY, the summary at the end. Returns the exit code.
 */
export async function executeRun(pipeline: LoadedPipeline, options: RunPipelineOptions, settings: ExecuteRunSettings, io: CommandIo): Promise<number> {
  const stop = new AbortController()
  const abort = new AbortController()
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined
  let drainTimer: NodeJS.Timeout | undefined
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => () => {
    if (stoppedBy) {
      io.stderr.write(`\n${signal} again: interrupting the items in flight\n`)
      abort.abort(new Error(signal))
      return
    }
    stoppedBy = signal
    io.stderr.write(`\n${signal}: no new items; finishing the items in flight (up to ${settings.drainSeconds}s, ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to interrupt them)\n`)
    stop.abort(new Error(signal))
    drainTimer = setTimeout(() => abort.abort(new Error(`${signal}: drain timeout`)), settings.drainSeconds * 1000)
    drainTimer.unref()
  }
  const offInt = io.onSignal('SIGINT', onSignal('SIGINT'))
  const offTerm = io.onSignal('SIGTERM', onSignal('SIGTERM'))
  let progress: Subscription | undefined
  try {
    const result = await runPipeline(pipeline, {
      ...options,
      stop: stop.signal, abort: abort.signal,
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
    if (stoppedBy) return SIGNAL_EXIT[stoppedBy]
    if (result.exitCode === 1 && result.report.status !== 'aborted') {
      io.stderr.write(`error rate ${(result.report.errorRate * 100).toFixed(1)}% is above the allowed ${((settings.maxErrorRate ?? pipeline.run.maxErrorRate) * 100).toFixed(1)}%\n`)
    }
    return result.exitCode
  } finally {
    progress?.unsubscribe()
    clearTimeout(drainTimer)
    offInt()
    offTerm()
  }
}
