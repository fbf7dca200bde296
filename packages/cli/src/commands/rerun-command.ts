import { existsSync } from 'node:fs'
import { compileExpression, RunJournal } from '@dataflow/core'
import { DataflowError } from '@dataflow/sdk'
import { RERUN_FLAGS } from '../flags.js'
import { loadOrReport } from '../load-or-report.js'
import { toNumber, toShard } from '../parse-command-line.js'
import type { Command } from './command.js'
import { executeRun } from './execute-run.js'
import { toTelemetrySettings } from './telemetry-settings.js'
import { watchStopSignals } from './stop-signals.js'
import { toCacheOptions } from './cache-options.js'
import { toLogLevel } from './log-level.js'

export const rerunCommand: Command<typeof RERUN_FLAGS> = {
  name: 'rerun',
  usage: 'dataflow rerun <run dir> [--from node] [--where expr] [--pipeline file]',
  summary:
    'Compute part of a run again (a node and what follows it, or failed items), reusing everything else from its journal.',
  flags: RERUN_FLAGS,
  async run({ flags, positionals, io }) {
    const dir = positionals[0]!
    if (flags.from === undefined && flags.where === undefined) {
      throw new DataflowError('DATAFLOW_USAGE', 'say what to compute again: --from <node>, --where <expr>, or both', {
        hint: `e.g. dataflow rerun ${dir} --from judge, or --where "outcome == 'error'" to retry failed items`,
      })
    }
    if (!existsSync(RunJournal.pathIn(dir))) {
      throw new DataflowError('DATAFLOW_USAGE', `${dir} holds no run journal (journal.sqlite)`, {
        hint: 'give the run directory of an earlier `dataflow run`',
      })
    }
    const stored = RunJournal.openReadOnly(RunJournal.pathIn(dir))
    const meta = (() => {
      try {
        return stored.readMeta()
      } finally {
        stored.close()
      }
    })()
    if (!meta)
      throw new DataflowError(
        'DATAFLOW_USAGE',
        `the run in ${dir} never started an item: run it again with \`dataflow run <pipeline> --out ${dir}\``,
      )
    const file = flags.pipeline ?? meta.pipelineFile
    if (!existsSync(file)) {
      throw new DataflowError('DATAFLOW_USAGE', `the run's pipeline file ${file} no longer exists`, {
        hint: 'pass the pipeline with --pipeline <file>',
      })
    }
    const set = flags.pipeline === undefined ? [...meta.set, ...(flags.set ?? [])] : (flags.set ?? [])
    const where = flags.where === undefined ? undefined : compileExpression(flags.where)
    const drainSeconds = toNumber(flags['drain-timeout'], 'drain-timeout', { min: 0 }) ?? 30
    const maxErrorRate = toNumber(flags['max-error-rate'], 'max-error-rate', { min: 0, max: 1 })
    const logLevel = toLogLevel(flags['log-level'])
    const cache = toCacheOptions(flags.cache, flags['cache-path'])
    const limit = meta.limit ?? undefined
    const shard = typeof meta.inputParts['shard'] === 'string' ? toShard(meta.inputParts['shard']) : undefined
    const signals = watchStopSignals(io, drainSeconds)
    try {
      const pipeline = await loadOrReport(file, set, io.stderr)
      if (!pipeline) return 2
      if (flags.from !== undefined && !pipeline.nodes.some((node) => node.id === flags.from)) {
        throw new DataflowError('DATAFLOW_USAGE', `--from: the pipeline has no node "${flags.from}"`, {
          hint: `nodes: ${pipeline.nodes.map((node) => node.id).join(', ')}`,
        })
      }
      return await executeRun(
        pipeline,
        {
          out: dir,
          resume: true,
          set,
          logLevel,
          cache,
          rerun: { ...(flags.from === undefined ? {} : { from: flags.from }), ...(where ? { where } : {}) },
          ...(limit === undefined ? {} : { limit }),
          ...(shard ? { shard } : {}),
        },
        {
          quiet: flags.quiet ?? false,
          wide: flags.wide ?? false,
          maxErrorRate,
          signals,
          ...toTelemetrySettings(flags),
        },
        io,
      )
    } finally {
      signals.dispose()
    }
  },
}
