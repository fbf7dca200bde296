import { DataflowError } from '@dataflow/sdk'
import { resolve } from 'node:path'
import { RUN_FLAGS } from '../flags.js'
import { loadOrReport } from '../load-or-report.js'
import { toNumber, toShard } from '../parse-command-line.js'
import type { Command } from './command.js'
import { executeRun } from './execute-run.js'
import { toTelemetrySettings } from './telemetry-settings.js'
import { watchStopSignals } from './stop-signals.js'
import { toCacheOptions } from './cache-options.js'
import { runDistributed } from './run-distributed.js'
import { toLogLevel } from './log-level.js'
import { toTapeWrapper } from './tape-options.js'
import { formatRows } from '../format-preview.js'
import { readItemTraces } from '../read-item-traces.js'
import type { RunPipelineResult } from '@dataflow/core'

/** Largest --limit whose items are listed after the run. */
const ROWS_SHOWN = 20

export const runCommand: Command<typeof RUN_FLAGS> = {
  name: 'run',
  usage:
    'dataflow run <pipeline.yaml> [--out dir | --resume dir] [--limit n] [--record file | --replay file] [--set path=value ...] [--queue redis://host:6379]',
  summary: 'Run a pipeline: items stream from the source through the graph into the sinks.',
  flags: RUN_FLAGS,
  async run({ flags, positionals, io }) {
    const logLevel = toLogLevel(flags['log-level'])
    const limit = toNumber(flags.limit, 'limit', { min: 0, integer: true })
    const maxErrorRate = toNumber(flags['max-error-rate'], 'max-error-rate', { min: 0, max: 1 })
    const drainSeconds = toNumber(flags['drain-timeout'], 'drain-timeout', { min: 0 }) ?? 30
    const shard = toShard(flags.shard)
    if (flags.resume !== undefined && flags.out !== undefined && resolve(flags.resume) !== resolve(flags.out)) {
      throw new DataflowError('DATAFLOW_USAGE', '--resume and --out name different directories', {
        hint: '--resume <dir> continues the run in <dir>; --out is not needed',
      })
    }
    if (flags.resume !== undefined && flags['no-journal'])
      throw new DataflowError('DATAFLOW_USAGE', '--resume needs the journal: drop --no-journal')
    const out = flags.resume ?? flags.out
    const tape = toTapeWrapper(flags.record, flags.replay)
    const cache =
      flags.replay === undefined ? toCacheOptions(flags.cache, flags['cache-path']) : { mode: 'off' as const }
    const signals = watchStopSignals(io, drainSeconds)
    try {
      const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
      if (!pipeline) return 2
      if (flags.queue !== undefined) {
        const refused = (['resume', 'limit', 'shard', 'no-journal', 'record', 'replay'] as const).filter(
          (name) => flags[name] !== undefined,
        )
        return await runDistributed(
          pipeline,
          {
            queue: flags.queue,
            set: flags.set ?? [],
            out: flags.out,
            chunkSize: toNumber(flags['chunk-size'], 'chunk-size', { min: 1, integer: true }),
            logLevel,
            quiet: flags.quiet ?? false,
            maxErrorRate,
            progressSeconds: toTelemetrySettings(flags).progressSeconds,
            metricsAddress: flags['metrics-port'],
            signals,
            refused: refused.map((name) => `--${name}`),
          },
          io,
        )
      }
      return await executeRun(
        pipeline,
        {
          logLevel,
          set: flags.set ?? [],
          cache,
          ...(flags['no-journal'] ? { journal: false } : {}),
          ...(out === undefined ? {} : { out }),
          ...(flags.resume === undefined ? {} : { resume: true }),
          ...(limit === undefined ? {} : { limit }),
          ...(shard ? { shard } : {}),
          ...(tape ? { wrapClient: tape } : {}),
        },
        {
          quiet: flags.quiet ?? false,
          wide: flags.wide ?? false,
          maxErrorRate,
          signals,
          ...toTelemetrySettings(flags),
          // A short trial run (--limit up to 20) shows what each item became.
          ...(limit !== undefined && limit <= ROWS_SHOWN && !flags['no-journal']
            ? {
                onFinished: (result: RunPipelineResult) => {
                  io.stdout.write(`\nitems (dataflow inspect ${result.runDir.path} --item <id> for more):\n`)
                  io.stdout.write(formatRows(readItemTraces(result.runDir.path, limit)))
                },
              }
            : {}),
        },
        io,
      )
    } finally {
      signals.dispose()
    }
  },
}
