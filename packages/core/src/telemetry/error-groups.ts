import type { ItemOutcome } from '../runtime/item-outcome.js'

/** Examples kept per error code. */
const EXAMPLES = 3
/** Longest example message kept, in characters. */
const MESSAGE_CHARS = 400
/** Distinct codes tracked (the code set is closed, but a node failure's code could be anything a plugin threw). */
const MAX_CODES = 100

/** Items that ended as errors with one code, or node failures an item went on without (`onError: continue`). */
export interface ErrorGroup {
  code: string
  count: number
  /** Count per node. */
  nodes: Record<string, number>
  /** What to do, from the first error of this code that carried a hint. */
  hint?: string
  examples: Array<{ id: string; node: string; message: string }>
}

export interface ErrorDigest {
  /** Items whose outcome is `error`, by code. */
  items: ErrorGroup[]
  /** Node failures of items that went on (`onError: continue`), by code. */
  nodeFailures: ErrorGroup[]
}

class Groups {
  readonly byCode = new Map<string, ErrorGroup>()

  constructor(prior: readonly ErrorGroup[] | undefined) {
    for (const group of prior ?? []) this.byCode.set(group.code, structuredClone(group))
  }

  add(id: string, node: string, error: { code: string; message: string; hint?: string }): void {
    let group = this.byCode.get(error.code)
    if (!group) {
      if (this.byCode.size >= MAX_CODES) return
      group = { code: error.code, count: 0, nodes: {}, examples: [] }
      this.byCode.set(error.code, group)
    }
    group.count++
    group.nodes[node] = (group.nodes[node] ?? 0) + 1
    if (group.hint === undefined && error.hint) group.hint = error.hint
    if (group.examples.length < EXAMPLES)
      group.examples.push({ id, node, message: error.message.slice(0, MESSAGE_CHARS) })
  }

  toJSON(): ErrorGroup[] {
    return [...this.byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
  }
}

/** Groups failures by code with a few examples and the hint, in bounded memory. */
export class ErrorGrouper {
  private readonly items: Groups
  private readonly failures: Groups

  constructor(prior?: ErrorDigest) {
    this.items = new Groups(prior?.items)
    this.failures = new Groups(prior?.nodeFailures)
  }

  add(outcome: ItemOutcome): void {
    if (outcome.outcome === 'error' && outcome.error)
      this.items.add(outcome.id, outcome.error.node, outcome.error.error)
    if (outcome.outcome === 'interrupted') return
    for (const failure of outcome.failures) this.failures.add(outcome.id, failure.node, failure.error)
  }

  toJSON(): ErrorDigest {
    return { items: this.items.toJSON(), nodeFailures: this.failures.toJSON() }
  }
}
