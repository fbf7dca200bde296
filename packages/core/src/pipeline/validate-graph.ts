import { FORBIDDEN_SEGMENTS, RESERVED_WORDS } from '../expression/index.js'
import { OUTCOME_FIELDS } from './check-paths.js'
import type { Reporter } from './create-reporter.js'
import { didYouMean, listOf } from './suggest.js'

/** A node as written: its id and its raw `needs` list. */
export interface GraphNode {
  id: string
  needs: readonly unknown[]
}

/** The graph's shape, for nodes outside cycles. */
export interface GraphShape {
  /** Node ids, every node after all of its needs: repeatedly the first declared node whose needs are placed. */
  order: string[]
  /** Valid, distinct needs per node. */
  needs: Map<string, string[]>
  /** 0 without needs, else 1 + the deepest need. */
  depth: Map<string, number>
  /** Transitive needs: every node whose output a node may read. */
  upstream: Map<string, Set<string>>
}

/** Names with a meaning in expressions: `item` (the source's fields), the sink-only outcome fields, and keywords. */
export const RESERVED_NODE_IDS: ReadonlySet<string> = new Set(['item', ...OUTCOME_FIELDS, ...RESERVED_WORDS])

const NODE_ID = /^[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/

/** Checks ids and `needs` (unknown, self, duplicate, cycles) and computes order, depth and upstream sets. */
export function validateGraph(nodes: readonly GraphNode[], reporter: Reporter): GraphShape {
  const ids = new Set(nodes.map((node) => node.id))
  const needs = new Map<string, string[]>()
  for (const node of nodes) {
    checkId(node.id, reporter)
    const valid: string[] = []
    node.needs.forEach((need, index) => {
      if (typeof need !== 'string') return
      const path = ['nodes', node.id, 'needs', index]
      if (need === node.id) {
        reporter.report('DATAFLOW_GRAPH_INVALID', path, `node "${node.id}" needs itself`, {
          hint: 'remove it from needs',
        })
      } else if (!ids.has(need)) {
        reporter.report(
          'DATAFLOW_GRAPH_INVALID',
          path,
          `node "${node.id}" needs "${need}", which is not a node of this pipeline`,
          {
            hint:
              didYouMean(need, ids) ??
              (need === 'source' || need === 'item'
                ? 'the source is upstream of every node: leave it out of needs'
                : `nodes: ${listOf([...ids])}`),
          },
        )
      } else if (valid.includes(need)) {
        reporter.report('DATAFLOW_GRAPH_INVALID', path, `node "${node.id}" lists "${need}" twice in needs`, {
          hint: 'remove the repeated entry',
        })
      } else {
        valid.push(need)
      }
    })
    needs.set(node.id, valid)
  }
  const inCycle = reportCycles(nodes, needs, reporter)
  return {
    ...sortTopologically(
      nodes.map((node) => node.id).filter((id) => !inCycle.has(id)),
      needs,
    ),
    needs,
  }
}

function checkId(id: string, reporter: Reporter): void {
  const path = ['nodes', id]
  if (RESERVED_NODE_IDS.has(id)) {
    reporter.report('DATAFLOW_GRAPH_INVALID', path, `"${id}" cannot be a node id: it is reserved in expressions`, {
      at: 'key',
      hint: `rename the node; reserved: ${[...RESERVED_NODE_IDS].join(', ')}`,
    })
  } else if (!NODE_ID.test(id) || FORBIDDEN_SEGMENTS.has(id)) {
    reporter.report('DATAFLOW_GRAPH_INVALID', path, `"${id}" cannot be a node id: expressions could not name it`, {
      at: 'key',
      hint: 'use letters, digits, _ and - (starting with a letter or _), e.g. ocr_agent',
    })
  }
}

/** Reports each cycle once (at the need that leads into it) and returns the nodes on cycles. */
function reportCycles(
  nodes: readonly GraphNode[],
  needs: ReadonlyMap<string, string[]>,
  reporter: Reporter,
): Set<string> {
  const onCycle = new Set<string>()
  for (const { id } of nodes) {
    if (onCycle.has(id)) continue
    const cycle = findCycleThrough(id, needs)
    if (cycle === undefined) continue
    cycle.forEach((member) => onCycle.add(member))
    const next = cycle[1]!
    const index = nodes.find((node) => node.id === id)!.needs.indexOf(next)
    const steps = cycle.slice(0, -1).map((member, position) => `${member} needs ${cycle[position + 1]}`)
    reporter.report(
      'DATAFLOW_GRAPH_INVALID',
      ['nodes', id, 'needs', index],
      `needs form a cycle: ${steps.join(', ')}`,
      {
        hint: 'a node cannot need itself, even indirectly: remove one of these needs',
      },
    )
  }
  // Nodes downstream of a cycle cannot be ordered either.
  let grew = true
  while (grew) {
    grew = false
    for (const [id, list] of needs) {
      if (!onCycle.has(id) && list.some((need) => onCycle.has(need))) {
        onCycle.add(id)
        grew = true
      }
    }
  }
  return onCycle
}

/** The shortest path start -> ... -> start along needs, or undefined. */
function findCycleThrough(start: string, needs: ReadonlyMap<string, string[]>): string[] | undefined {
  const parent = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const current = queue.shift()!
    for (const need of needs.get(current) ?? []) {
      if (need === start) {
        const path = [start]
        for (let at: string | undefined = current; at !== start && at !== undefined; at = parent.get(at))
          path.splice(1, 0, at)
        return [...path, start]
      }
      if (!parent.has(need)) {
        parent.set(need, current)
        queue.push(need)
      }
    }
  }
  return undefined
}

function sortTopologically(ids: readonly string[], needs: ReadonlyMap<string, string[]>): Omit<GraphShape, 'needs'> {
  const order: string[] = []
  const depth = new Map<string, number>()
  const upstream = new Map<string, Set<string>>()
  const pending = [...ids]
  while (pending.length > 0) {
    const index = pending.findIndex((id) => (needs.get(id) ?? []).every((need) => depth.has(need)))
    const id = pending.splice(index, 1)[0]!
    const direct = needs.get(id) ?? []
    depth.set(id, direct.length === 0 ? 0 : 1 + Math.max(...direct.map((need) => depth.get(need)!)))
    upstream.set(id, new Set(direct.flatMap((need) => [need, ...upstream.get(need)!])))
    order.push(id)
  }
  return { order, depth, upstream }
}
