import type { ItemOutcome } from '../runtime/item-outcome.js'
import type { NodeEvent } from '../runtime/item-run.js'

/**
 * Per-item hooks of the executor for telemetry. Called synchronously on the item path: keep
 * implementations to a few field writes. Absent hooks cost nothing.
 */
export interface RunObserver {
  /** Node `index` of the item at `sequence` ended (done, failed, rejected, error) or was skipped, reused or cancelled. */
  node?(sequence: number, index: number, event: NodeEvent, elapsedMs: number): void
  /** The item got its single outcome, `itemMs` after it started. */
  outcome?(outcome: ItemOutcome, itemMs: number): void
}
