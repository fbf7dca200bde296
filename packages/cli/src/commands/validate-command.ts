import { COMMON_FLAGS } from '../flags.js'
import { loadOrReport } from '../load-or-report.js'
import type { Command } from './command.js'

export const validateCommand: Command<typeof COMMON_FLAGS> = {
  name: 'validate',
  usage: 'dataflow validate <pipeline.yaml> [--set path=value ...]',
  summary: 'Check a pipeline file, its plugins, settings, graph and expressions without running it.',
  flags: COMMON_FLAGS,
  async run({ flags, positionals, io }) {
    const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
    if (!pipeline) return 2
    io.stdout.write(
      `${pipeline.file}: ok (${pipeline.nodes.length} nodes, ${pipeline.sinks.length} sinks, ${Object.keys(pipeline.models).length} models)\n`,
    )
    return 0
  },
}
