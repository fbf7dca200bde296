import type { ItemOutcome } from '../runtime/item-outcome.js'
import type { ItemRun, NodeResultSink, PriorResult } from '../runtime/item-run.js'
import type { PreparedJournal } from './prepare-journal.js'
import { toPriorResult } from './read-outcome.js'
import type { RunJournal } from './run-journal.js'

/**
 * The engine's side of the journal during a run: records node results and item outcomes
 * (queued, committed once per event-loop turn) and reads back what earlier sessions finished.
 */
export class JournalRecorder implements NodeResultSink {
  private readonly indexOf: Map<number, number>

  constructor(
    readonly journal: RunJournal,
    private readonly prepared: PreparedJournal,
  ) {
    this.indexOf = new Map(prepared.nodeIds.map((id, index) => [id, index]))
  }

  record(sequence: number, index: number, result: PriorResult, elapsedMs: number, resume: ItemRun | undefined): void {
    const output = result.status === 'failed' || result.output === undefined ? null : JSON.stringify(result.output)
    const error =
      result.status === 'failed'
        ? JSON.stringify(result.error)
        : result.status === 'rejected'
          ? JSON.stringify(result.rejection)
          : null
    this.journal.queueNodeResult(
      sequence,
      this.prepared.nodeIds[index]!,
      this.prepared.fingerprintIds[index]!,
      result.status,
      output,
      error,
      result.attempts,
      Date.now() - elapsedMs,
      Math.round(elapsedMs * 10) / 10,
      JSON.stringify(result.metrics),
      resume,
      index,
    )
  }

  /**
   * What the journal knows of the item at input position `sequence`: `finished` (skip it; the id
   * must match), or the node results still valid for this pipeline (by plan index), or nothing.
   */
  lookup(sequence: number): { finished: string } | { prior: Array<PriorResult | undefined> } | undefined {
    if (sequence > this.prepared.maxSeq) return undefined
    const state = this.journal.itemState(sequence)
    if (state && (state.outcome === 'ok' || state.outcome === 'rejected' || state.outcome === 'error'))
      return { finished: state.id }
    const rows = this.journal.nodeResults(sequence)
    if (rows.length === 0) return undefined
    const prior: Array<PriorResult | undefined> = []
    for (const row of rows) {
      const index = this.indexOf.get(row.node)
      if (index === undefined || this.prepared.fingerprintIds[index] !== row.fp) continue
      prior[index] = toPriorResult(row)
    }
    return { prior }
  }

  /**
   * Queues an item's outcome; returns its commit order (the order sinks receive it in), or 0 for
   * interrupted items. `ord` rewrites an outcome already queued (a sink refused the record).
   */
  recordOutcome(outcome: ItemOutcome, ord?: number): number {
    const final = outcome.outcome !== 'interrupted'
    ord ??= final ? this.journal.takeOrd() : 0
    this.journal.queueItem({
      seq: outcome.sequence,
      id: outcome.id,
      outcome: outcome.outcome,
      ord: final ? ord : null,
      item: JSON.stringify(outcome.item),
      rejection: outcome.rejection ? JSON.stringify(outcome.rejection) : null,
      error: outcome.error ? JSON.stringify(outcome.error) : null,
      error_code: outcome.error?.error.code ?? null,
      failures: outcome.failures.length > 0 ? JSON.stringify(outcome.failures) : null,
      finished_at: Date.now(),
    })
    return ord
  }
}
