import type { CompiledExpression } from '../expression/compiled-expression.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { toSinkScope } from '../runtime/sink-dispatcher.js'
import { readOutcome } from './read-outcome.js'
import type { RunJournal } from './run-journal.js'

/** Which finished items `dataflow rerun` opens again, and from which node. */
export interface RerunSelection {
  /** This node and everything that depends on it are computed again. Failed nodes of selected items always are. */
  from?: string
  /** Items whose outcome scope (as sinks see it: `outcome`, `error`, `reason`, node outputs, `item`) passes. Default: every finished item. */
  where?: CompiledExpression
}

/** The node and every node that depends on it, transitively. */
export function withDependents(pipeline: LoadedPipeline, from: string): Set<string> {
  const selected = new Set([from])
  for (const node of pipeline.nodes) if (node.needs.some((need) => selected.has(need))) selected.add(node.id)
  return selected
}

/**
 * Deletes the selected items' results of `from` and its dependents and of nodes that failed, and
 * marks the items unfinished. Returns the items selected and the results deleted per node.
 */
export function applyRerun(
  journal: RunJournal,
  pipeline: LoadedPipeline,
  selection: RerunSelection,
  names: ReadonlyMap<number, string>,
  current: ReadonlyMap<number, number>,
): { selected: number; deleted: Map<string, number> } {
  const order = pipeline.nodes.map((node) => node.id)
  const redo = selection.from ? withDependents(pipeline, selection.from) : new Set<string>()
  const idOf = new Map([...names].map(([id, name]) => [name, id]))
  const redoIds = [...redo].map((name) => idOf.get(name)).filter((id): id is number => id !== undefined)
  const selectedSeqs: number[] = []
  for (const row of journal.finishedItems()) {
    if (selection.where) {
      const rows = journal.nodeResults(row.seq)
      if (!selection.where.test(toSinkScope(readOutcome(row, rows, names, order, current)))) continue
    }
    selectedSeqs.push(row.seq)
  }
  const deleted = new Map<string, number>()
  for (const [node, count] of journal.reopenForRerun(selectedSeqs, redoIds)) {
    const name = names.get(node)
    if (name !== undefined) deleted.set(name, (deleted.get(name) ?? 0) + count)
  }
  return { selected: selectedSeqs.length, deleted }
}
