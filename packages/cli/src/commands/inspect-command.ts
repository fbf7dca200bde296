import { existsSync } from 'node:fs'
import { inspectRun, RunJournal, traceItem } from '@dataflow/core'
import { DataflowError } from '@dataflow/sdk'
import { INSPECT_FLAGS } from '../flags.js'
import { formatInspection, formatTrace } from '../format-inspection.js'
import type { Command } from './command.js'

export const inspectCommand: Command<typeof INSPECT_FLAGS> = {
  name: 'inspect',
  usage: 'dataflow inspect <run dir> [--item id] [--json]',
  summary: "Show a run from its journal: outcomes, nodes, errors by code; or one item's full trace.",
  flags: INSPECT_FLAGS,
  async run({ flags, positionals, io }) {
    const dir = positionals[0]!
    const path = RunJournal.pathIn(dir)
    if (!existsSync(path))
      throw new DataflowError('DATAFLOW_USAGE', `${dir} holds no run journal (journal.sqlite)`, {
        hint: 'give the run directory of a `dataflow run`',
      })
    const journal = RunJournal.openReadOnly(path)
    try {
      if (!journal.readMeta()) throw new DataflowError('DATAFLOW_USAGE', `the run in ${dir} has not started yet`)
      if (flags.item !== undefined) {
        const trace = traceItem(journal, flags.item)
        if (!trace) {
          io.stderr.write(`no finished item "${flags.item}" in ${dir} (items in flight appear once they end)\n`)
          return 1
        }
        io.stdout.write(flags.json ? `${JSON.stringify(trace, null, 2)}\n` : formatTrace(trace))
        return 0
      }
      const inspection = inspectRun(journal)
      io.stdout.write(flags.json ? `${JSON.stringify(inspection, null, 2)}\n` : formatInspection(inspection, dir))
      return 0
    } finally {
      journal.close()
    }
  },
}
