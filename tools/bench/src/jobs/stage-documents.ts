import { fileURLToPath } from 'node:url'

type Document = Record<string, unknown>
type NodeSpec = {
  uses: string
  needs?: string[]
  when?: string
  onError?: string
  with?: Record<string, unknown>
  retry?: unknown
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}.js`, import.meta.url))

/**
 * Splits a pipeline document into stage documents run one after the other, each a barrier, the
 * way research scripts run a multi-step workflow. Stage k runs its own nodes unchanged; the nodes
 * of earlier stages become replay nodes (same `needs`, `when` and `onError`) that give back what
 * they wrote there, so every request is exactly the one the full graph sends. Items flow from
 * stage to stage in memory (kept items only); the last stage writes the pipeline's own sinks.
 */
export function toStageDocuments(document: Document, stages: readonly (readonly string[])[]): Document[] {
  const nodes = document['nodes'] as Record<string, NodeSpec>
  const staged = new Set(stages.flat())
  const missing = Object.keys(nodes).filter((id) => !staged.has(id))
  if (missing.length > 0) throw new Error(`nodes in no stage: ${missing.join(', ')}`)
  return stages.map((own, index) => {
    const earlier = new Set(stages.slice(0, index).flat())
    const stageNodes: Record<string, NodeSpec> = {}
    for (const [id, spec] of Object.entries(nodes)) {
      if (own.includes(id)) stageNodes[id] = spec
      else if (earlier.has(id)) {
        stageNodes[id] = {
          uses: fixture('replay-node'),
          with: { node: id },
          ...(spec.needs ? { needs: spec.needs } : {}),
          ...(spec.when ? { when: spec.when } : {}),
          ...(spec.onError ? { onError: spec.onError } : {}),
        }
      }
    }
    const last = index === stages.length - 1
    return {
      ...document,
      name: `${String(document['name'])}-stage-${index + 1}`,
      source: index === 0 ? document['source'] : { uses: fixture('memory-source'), with: { key: `stage-${index}` } },
      nodes: stageNodes,
      sinks: last
        ? document['sinks']
        : { next: { uses: fixture('memory-sink'), with: { key: `stage-${index + 1}` }, when: "outcome == 'ok'" } },
    }
  })
}
