import type { LoadedNode } from '../pipeline/loaded-pipeline.js'
import type { NodeRunner } from './node-runner.js'

export interface PlannedNode {
  index: number
  node: LoadedNode
  /** Indices of the node's needs. */
  needs: number[]
  /** Indices of the nodes that need this one. */
  dependents: number[]
  runner: NodeRunner
}

/** The graph as index arrays, computed once per run so the per-item scheduler does no lookups by name. */
export interface ExecutionPlan {
  nodes: PlannedNode[]
  ids: string[]
  indexOf: ReadonlyMap<string, number>
  /** Indices of nodes without needs: where every item starts. */
  roots: number[]
}

export function createExecutionPlan(nodes: readonly LoadedNode[], runners: readonly NodeRunner[]): ExecutionPlan {
  const indexOf = new Map(nodes.map((node, index) => [node.id, index]))
  const planned: PlannedNode[] = nodes.map((node, index) => ({
    index,
    node,
    needs: node.needs.map((id) => {
      const need = indexOf.get(id)
      if (need === undefined) throw new Error(`internal: node "${node.id}" needs unknown node "${id}"`)
      return need
    }),
    dependents: [],
    runner: runners[index]!,
  }))
  for (const node of planned) for (const need of node.needs) planned[need]!.dependents.push(node.index)
  return {
    nodes: planned,
    ids: nodes.map((node) => node.id),
    indexOf,
    roots: planned.filter((node) => node.needs.length === 0).map((node) => node.index),
  }
}
