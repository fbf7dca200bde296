import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadPipeline } from '../pipeline/load-pipeline.js'
import { toDot, toMermaid } from './render-graph.js'

const FILE = fileURLToPath(new URL('../../test/fixtures/pipelines/three-nodes.yaml', import.meta.url))

describe('graph rendering', () => {
  it('draws the source, every need as an edge, when labels and the sinks in Mermaid and DOT', async () => {
    const pipeline = await loadPipeline(FILE, { env: {} })
    const mermaid = toMermaid(pipeline)
    expect(mermaid.startsWith('flowchart TD\n')).toBe(true)
    for (const node of pipeline.nodes) {
      if (node.needs.length === 0) expect(mermaid).toContain(`source --> ${node.id}`)
      for (const need of node.needs) expect(mermaid).toContain(`${need} --> ${node.id}`)
    }
    for (const sink of pipeline.sinks) expect(mermaid).toContain(`sink_${sink.id}`)
    const dot = toDot(pipeline)
    expect(dot).toMatch(/^digraph "/)
    for (const node of pipeline.nodes)
      for (const need of node.needs) expect(dot).toContain(`"${need}" -> "${node.id}";`)
    expect(dot.trim().endsWith('}')).toBe(true)
  })
})
