import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'

export type GraphFormat = 'mermaid' | 'dot'

interface GraphShape {
  source: { id: string; label: string }
  nodes: Array<{ id: string; label: string; needs: string[]; when: string | undefined }>
  sinks: Array<{ id: string; label: string; when: string }>
  /** Nodes nothing depends on: where items leave the graph for the sinks. */
  leaves: string[]
}

const shortName = (uses: string) => uses.replace(/^@dataflow\/plugin-/, '')

function toShape(pipeline: LoadedPipeline): GraphShape {
  const needed = new Set(pipeline.nodes.flatMap((node) => node.needs))
  return {
    source: { id: 'source', label: `source: ${shortName(pipeline.source.uses)}` },
    nodes: pipeline.nodes.map((node) => ({
      id: node.id,
      label: `${node.id}: ${shortName(node.uses)}`,
      needs: node.needs,
      when: node.when?.source,
    })),
    sinks: pipeline.sinks.map((sink) => ({
      id: `sink_${sink.id}`,
      label: `${sink.id}: ${shortName(sink.uses)}`,
      when: sink.when.source,
    })),
    leaves: pipeline.nodes.filter((node) => !needed.has(node.id)).map((node) => node.id),
  }
}

const quote = (text: string) => text.replace(/"/g, '#quot;')

/** The pipeline as a Mermaid flowchart (paste into any Markdown that renders Mermaid). */
export function toMermaid(pipeline: LoadedPipeline): string {
  const shape = toShape(pipeline)
  const lines = ['flowchart TD', `  ${shape.source.id}[("${quote(shape.source.label)}")]`]
  for (const node of shape.nodes) {
    lines.push(`  ${node.id}["${quote(node.label)}${node.when ? `<br/><i>when ${quote(node.when)}</i>` : ''}"]`)
  }
  for (const sink of shape.sinks) lines.push(`  ${sink.id}[/"${quote(sink.label)}"/]`)
  for (const node of shape.nodes) {
    if (node.needs.length === 0) lines.push(`  ${shape.source.id} --> ${node.id}`)
    for (const need of node.needs) lines.push(`  ${need} --> ${node.id}`)
  }
  const tails = shape.leaves.length > 0 ? shape.leaves : [shape.source.id]
  for (const sink of shape.sinks)
    for (const leaf of tails) lines.push(`  ${leaf} -- "${quote(sink.when)}" --> ${sink.id}`)
  return `${lines.join('\n')}\n`
}

/** The pipeline in Graphviz DOT (`dataflow graph p.yaml --format dot | dot -Tsvg > p.svg`). */
export function toDot(pipeline: LoadedPipeline): string {
  const shape = toShape(pipeline)
  const esc = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  const lines = [
    `digraph "${esc(pipeline.name)}" {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="Helvetica"];',
    `  "${shape.source.id}" [shape=cylinder, label="${esc(shape.source.label)}"];`,
  ]
  for (const node of shape.nodes)
    lines.push(`  "${node.id}" [label="${esc(node.label)}${node.when ? `\\nwhen ${esc(node.when)}` : ''}"];`)
  for (const sink of shape.sinks) lines.push(`  "${sink.id}" [shape=parallelogram, label="${esc(sink.label)}"];`)
  for (const node of shape.nodes) {
    if (node.needs.length === 0) lines.push(`  "${shape.source.id}" -> "${node.id}";`)
    for (const need of node.needs) lines.push(`  "${need}" -> "${node.id}";`)
  }
  const tails = shape.leaves.length > 0 ? shape.leaves : [shape.source.id]
  for (const sink of shape.sinks)
    for (const leaf of tails) lines.push(`  "${leaf}" -> "${sink.id}" [style=dashed, label="${esc(sink.when)}"];`)
  lines.push('}')
  return `${lines.join('\n')}\n`
}

export function renderGraph(pipeline: LoadedPipeline, format: GraphFormat): string {
  return format === 'dot' ? toDot(pipeline) : toMermaid(pipeline)
}
