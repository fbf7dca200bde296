import { writeRunReport } from '@dataflow/core'
import { REPORT_FLAGS } from '../flags.js'
import type { Command } from './command.js'

export const reportCommand: Command<typeof REPORT_FLAGS> = {
  name: 'report',
  usage: 'dataflow report <run dir>',
  summary: 'Write report.html of a run: finished, still running or killed (figures as of its last telemetry write).',
  flags: REPORT_FLAGS,
  async run({ positionals, io }) {
    const { path, bytes } = await writeRunReport(positionals[0]!)
    io.stdout.write(`${path} (${Math.round(bytes / 1024)} KB)\n`)
    return 0
  },
}
