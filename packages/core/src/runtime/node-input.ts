import { parsePath, readPath, type ItemData, type NodeInput, type NodeStatus, type UpstreamResult } from '@dataflow/sdk'
import type { ExecutionPlan } from './execution-plan.js'

const parsedPaths = new Map<string, string[]>()

/** Parses a path once per run (the set of paths in a pipeline is small). */
function segmentsOf(path: string): string[] {
  let segments = parsedPaths.get(path)
  if (!segments) {
    segments = parsePath(path)
    if (parsedPaths.size < 10_000) parsedPaths.set(path, segments)
  }
  return segments
}

/** The read-only view a node gets of one item; reads the item's live scope. */
export class ItemView implements NodeInput {
  constructor(
    readonly id: string,
    readonly item: ItemData,
    private readonly scope: Record<string, unknown>,
    private readonly statuses: readonly NodeStatus[],
    private readonly plan: ExecutionPlan,
    private readonly nodeIndex: number,
    private readonly errors: ReadonlyMap<number, UpstreamResult['error']>,
  ) {}

  get needs(): readonly UpstreamResult[] {
    return this.plan.nodes[this.nodeIndex]!.needs.map((index) => {
      const node = this.plan.ids[index]!
      const status = this.statuses[index]!
      const error = this.errors.get(index)
      return {
        node,
        status,
        ...(status === 'done' ? { output: this.scope[node] } : {}),
        ...(error === undefined ? {} : { error }),
      }
    })
  }

  get(path: string): unknown {
    return readPath(this.scope, segmentsOf(path))
  }

  output<T = unknown>(node: string): T | undefined {
    return this.status(node) === 'done' ? (this.scope[node] as T) : undefined
  }

  status(node: string): NodeStatus {
    const index = this.plan.indexOf.get(node)
    return index === undefined ? 'pending' : this.statuses[index]!
  }
}
