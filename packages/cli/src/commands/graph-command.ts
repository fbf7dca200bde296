import { DataflowError } from '@dataflow/sdk'
import { renderGraph } from '@dataflow/core'
import { GRAPH_FLAGS } from '../flags.js'
import { loadOrReport } from '../load-or-report.js'
import type { Command } from './command.js'

export const graphCommand: Command<typeof GRAPH_FLAGS> = {
  name: 'graph',
  usage: 'dataflow graph <pipeline.yaml> [--format mermaid|dot]',
  summary: 'Print the pipeline graph as Mermaid (default) or Graphviz DOT.',
  flags: GRAPH_FLAGS,
  async run({ flags, positionals, io }) {
    const format = flags.format ?? 'mermaid'
    if (format !== 'mermaid' && format !== 'dot')
      throw new DataflowError('DATAFLOW_USAGE', `--format must be mermaid or dot, got "${format}"`)
    const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
    if (!pipeline) return 2
    io.stdout.write(renderGraph(pipeline, format))
    return 0
  },
}
