import type { NodeOutput, NodeStatus, SerializedError } from '@dataflow/sdk'
import type { ItemFailure, ItemOutcome, ItemRejection, NodeMetrics } from '../runtime/item-outcome.js'
import type { PriorResult } from '../runtime/item-run.js'
import type { ItemRow, NodeResultRow } from './journal-rows.js'

/** Parses one journaled node result. */
export function toPriorResult(row: NodeResultRow): PriorResult {
  const { metrics } = row
  if (row.status === 'done')
    return { status: 'done', output: JSON.parse(row.output ?? '{}') as NodeOutput, attempts: row.attempts, metrics }
  if (row.status === 'rejected') {
    return {
      status: 'rejected',
      output: row.output === null ? undefined : (JSON.parse(row.output) as NodeOutput),
      rejection: JSON.parse(row.error ?? '{"reason":""}') as Omit<ItemRejection, 'node'>,
      attempts: row.attempts,
      metrics,
    }
  }
  return { status: 'failed', error: JSON.parse(row.error ?? '{}') as SerializedError, attempts: row.attempts, metrics }
}

/**
 * Rebuilds a finished item's outcome from the journal, as the sinks saw it: outputs and metrics
 * in `order` (the pipeline's node order), rejection, error and failures as recorded.
 * `names` maps the journal's node ids to node ids of the pipeline; other rows, and rows whose
 * fingerprint is not current (`current`: journal node id -> fingerprint id), are ignored.
 */
export function readOutcome(
  row: ItemRow,
  results: readonly NodeResultRow[],
  names: ReadonlyMap<number, string>,
  order: readonly string[],
  current?: ReadonlyMap<number, number>,
): ItemOutcome {
  const byName = new Map<string, NodeResultRow>()
  for (const result of results) {
    const name = names.get(result.node)
    if (name !== undefined && (current === undefined || current.get(result.node) === result.fp))
      byName.set(name, result)
  }
  const outputs: Record<string, unknown> = {}
  const statuses: Record<string, NodeStatus> = {}
  const metrics: Record<string, NodeMetrics> = {}
  for (const name of order) {
    const result = byName.get(name)
    if (result === undefined) continue
    statuses[name] = result.status === 'failed' ? 'failed' : 'done'
    if (result.output !== null) outputs[name] = JSON.parse(result.output) as unknown
    metrics[name] = result.metrics
  }
  return {
    id: row.id,
    sequence: row.seq,
    outcome: row.outcome ?? 'interrupted',
    item: JSON.parse(row.item ?? '{}') as Record<string, unknown>,
    outputs,
    statuses,
    failures: row.failures === null ? [] : (JSON.parse(row.failures) as ItemFailure[]),
    metrics,
    ...(row.rejection === null ? {} : { rejection: JSON.parse(row.rejection) as ItemRejection }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as ItemFailure }),
  }
}
