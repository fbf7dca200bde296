import { DataflowError, parsePath, readPath, type SinkRecord } from '@dataflow/sdk'

/**
 * The scope paths are read in. A default record (`{ id, outcome, item, outputs, ... }`, a sink
 * without `select:`) is turned back into the scope `when` expressions see: `item.*`, the
 * outcome fields and each node's output by id (`reasoner.correct`). A record shaped by `select:`
 * is read as it is.
 */
export function toRecordScope(record: SinkRecord): Record<string, unknown> {
  const outputs = record['outputs']
  if (typeof record['outcome'] !== 'string' || typeof outputs !== 'object' || outputs === null || !('item' in record))
    return record
  const rejection = record['rejection'] as { reason?: unknown } | undefined
  return {
    ...(outputs as Record<string, unknown>),
    item: record['item'],
    id: record['id'],
    outcome: record['outcome'],
    reason: rejection?.reason,
    error: record['error'],
  }
}

/** A reader for the path configured in `field`; an unusable path is a config error. */
export function createPathReader(field: string, path: string): (scope: Record<string, unknown>) => unknown {
  let segments: string[]
  try {
    segments = parsePath(path)
  } catch (error) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${field}: ${(error as Error).message}`)
  }
  return (scope) => readPath(scope, segments)
}
