import { createConsoleLogger, formatStatus, readStatus } from '@dataflow/distributed'
import { DataflowError } from '@dataflow/sdk'
import { STATUS_FLAGS } from '../flags.js'
import type { Command } from './command.js'

export const statusCommand: Command<typeof STATUS_FLAGS> = {
  name: 'status',
  usage: 'dataflow status --queue redis://host:6379 [--retry-failed] [--json]',
  summary:
    "Chunks waiting / active / done / failed of the distributed run on a queue, and each worker's rate and heartbeat.",
  flags: STATUS_FLAGS,
  positionals: 0,
  async run({ flags, io }) {
    if (flags.queue === undefined)
      throw new DataflowError('DATAFLOW_USAGE', 'status needs --queue', {
        hint: 'e.g. dataflow status --queue redis://127.0.0.1:6379',
      })
    const status = await readStatus(flags.queue, createConsoleLogger('warn', io.stderr), {
      retryFailed: flags['retry-failed'] ?? false,
    })
    io.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status))
    return 0
  },
}
