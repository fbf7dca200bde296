import { formatInferenceReport, runPipeline, type RunHandle } from '@dataflow/core'
import type { Subscription } from 'rxjs'
import { RUN_FLAGS } from '../flags.js'
import { loadOrReport } from '../load-or-report.js'
import { toNumber, toShard } from '../parse-command-line.js'
import { renderProgress } from '../progress-line.js'
import { formatSummary } from '../summary-table.js'
import type { Command } from './command.js'

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
type LogLevel = (typeof LOG_LEVELS)[number]

/** Exit codes for runs ended by a signal, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const

export const runCommand: Command<typeof RUN_FLAGS> = {
  name: 'run',
  usage: 'dataflow run <pipeline.yaml> [--out dir] [--limit n] [--set path=value ...]',
  summary: 'Run a pipeline: items stream from the source through the graph into the sinks.',
  flags: RUN_FLAGS,
  async run({ flags, positionals, io }) {
    const logLevel = (flags['log-level'] ?? 'info') as LogLevel
    if (!LOG_LEVELS.includes(logLevel)) {
      io.stderr.write(`--log-level must be one of ${LOG_LEVELS.join(', ')}\n`)
      return 2
    }
    const limit = toNumber(flags.limit, 'limit', { min: 0, integer: true })
    const maxErrorRate = toNumber(flags['max-error-rate'], 'max-error-rate', { min: 0, max: 1 })
    const drainSeconds = toNumber(flags['drain-timeout'], 'drain-timeout', { min: 0 }) ?? 30
    const shard = toShard(flags.shard)
    const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
    if (!pipeline) return 2

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
      io.stderr.write(`\n${signal}: no new items; finishing the items in flight (up to ${drainSeconds}s, ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to interrupt them)\n`)
      stop.abort(new Error(signal))
      drainTimer = setTimeout(() => abort.abort(new Error(`${signal}: drain timeout`)), drainSeconds * 1000)
      drainTimer.unref()
    }
    const offInt = io.onSignal('SIGINT', onSignal('SIGINT'))
    const offTerm = io.onSignal('SIGTERM', onSignal('SIGTERM'))
    let progress: Subscription | undefined
    try {
      const result = await runPipeline(pipeline, {
        stop: stop.signal, abort: abort.signal, logLevel, quiet: flags.quiet ?? false,
        ...(flags.out === undefined ? {} : { out: flags.out }),
        ...(limit === undefined ? {} : { limit }),
        ...(shard ? { shard } : {}),
        ...(maxErrorRate === undefined ? {} : { maxErrorRate }),
        onStart: (handle: RunHandle) => {
          if (!flags.quiet) progress = renderProgress(handle.progress$, io.stderr)
        },
      })
      progress?.unsubscribe()
      const usedModels = Object.keys(result.report.inference.nodes).length > 0
      io.stdout.write(formatSummary(result.report, usedModels ? ['', formatInferenceReport(result.report.inference)] : []))
      if (stoppedBy) return SIGNAL_EXIT[stoppedBy]
      if (result.exitCode === 1 && result.report.status !== 'aborted') {
        io.stderr.write(`error rate ${(result.report.errorRate * 100).toFixed(1)}% is above the allowed ${((maxErrorRate ?? pipeline.run.maxErrorRate) * 100).toFixed(1)}%\n`)
      }
      return result.exitCode
    } finally {
      progress?.unsubscribe()
      clearTimeout(drainTimer)
      offInt()
      offTerm()
    }
  },
}
