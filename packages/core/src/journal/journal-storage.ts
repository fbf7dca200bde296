import type { NodeMetrics } from '../runtime/item-outcome.js'
import type { JournalCodec, StoredText } from './journal-codec.js'
import type { ItemRow, NodeResultRow } from './journal-rows.js'

/** Columns of `items` as selected for {@link toItemRow}. */
export const ITEM_COLUMNS =
  'seq, id, outcome, ord, item, rejection, error, error_code AS errorCode, failures, finished_at AS finishedAt'

/** Columns of `node_results` as selected for {@link toNodeResultRow}. */
export const NODE_RESULT_COLUMNS =
  'seq, node, fp, status, output, error, attempts, started_at AS startedAt, ms, requests, prompt_tokens AS promptTokens, completion_tokens AS completionTokens, cached, models'

/** Codec field of items' JSON; node outputs use their journal node id (1 and more). */
const ITEM_FIELD = 0
/** Codec field of rejections and failures of items. */
const OTHER_FIELD = -1

/** Number of values {@link pushNodeResultValues} gives, in the order of the INSERT's columns. */
export const NODE_RESULT_VALUES = 14
export const NODE_RESULT_INSERT =
  'INSERT OR REPLACE INTO node_results (seq, node, fp, status, output, error, attempts, started_at, ms, requests, prompt_tokens, completion_tokens, cached, models) VALUES '

/** Number of values {@link pushItemValues} gives. */
export const ITEM_VALUES = 10
export const ITEM_INSERT =
  'INSERT OR REPLACE INTO items (seq, id, outcome, ord, item, rejection, error, error_code, failures, finished_at) VALUES '

type StoredItemRow = Omit<ItemRow, 'item' | 'rejection' | 'error' | 'failures'> & {
  item: StoredText | null
  rejection: StoredText | null
  error: StoredText | null
  failures: StoredText | null
}

interface StoredNodeResultRow {
  seq: number
  node: number
  fp: number
  status: NodeResultRow['status']
  output: StoredText | null
  error: StoredText | null
  attempts: number
  startedAt: number
  ms: number
  requests: number | null
  promptTokens: number | null
  completionTokens: number | null
  cached: number | null
  models: number | null
}

/** Appends a node result's column values to `values` (flat, no object kept per row). */
export function pushNodeResultValues(
  values: unknown[],
  row: NodeResultRow,
  modelSet: number | null,
  codec: JournalCodec,
): void {
  const { metrics } = row
  values.push(
    row.seq,
    row.node,
    row.fp,
    row.status,
    codec.encodeNullable(row.node, row.output),
    // Errors stay plain JSON text: rare, small, and `inspect` groups them by code in SQL.
    row.error,
    row.attempts,
    Math.round(row.startedAt),
    metrics.ms,
    metrics.requests ?? null,
    metrics.promptTokens ?? null,
    metrics.completionTokens ?? null,
    metrics.cached ?? null,
    modelSet,
  )
}

/** Appends an item's column values to `values`. */
export function pushItemValues(values: unknown[], row: ItemRow, codec: JournalCodec): void {
  values.push(
    row.seq,
    row.id,
    row.outcome,
    row.ord,
    codec.encodeNullable(ITEM_FIELD, row.item),
    codec.encodeNullable(OTHER_FIELD, row.rejection),
    row.error,
    row.errorCode,
    codec.encodeNullable(OTHER_FIELD, row.failures),
    row.finishedAt === null ? null : Math.round(row.finishedAt),
  )
}

export function toItemRow(stored: StoredItemRow, codec: JournalCodec): ItemRow {
  return {
    seq: stored.seq,
    id: stored.id,
    outcome: stored.outcome,
    ord: stored.ord,
    item: codec.decodeNullable(stored.item),
    rejection: codec.decodeNullable(stored.rejection),
    error: codec.decodeNullable(stored.error),
    errorCode: stored.errorCode,
    failures: codec.decodeNullable(stored.failures),
    finishedAt: stored.finishedAt,
  }
}

/** Decodes a stored node result; `modelNames` resolves a row of `model_sets`. */
export function toNodeResultRow(
  stored: StoredNodeResultRow,
  modelNames: (id: number) => string[],
  codec: JournalCodec,
): NodeResultRow {
  // Keys in the order the engine sets them while a node runs, so replayed records read the same.
  const metrics: NodeMetrics = { ms: stored.ms }
  if (stored.requests !== null) metrics.requests = stored.requests
  if (stored.promptTokens !== null) metrics.promptTokens = stored.promptTokens
  if (stored.completionTokens !== null) metrics.completionTokens = stored.completionTokens
  if (stored.cached !== null) metrics.cached = stored.cached
  if (stored.models !== null) metrics.models = modelNames(stored.models)
  return {
    seq: stored.seq,
    node: stored.node,
    fp: stored.fp,
    status: stored.status,
    output: codec.decodeNullable(stored.output),
    error: codec.decodeNullable(stored.error),
    attempts: stored.attempts,
    startedAt: stored.startedAt,
    metrics,
  }
}

export type { StoredItemRow, StoredNodeResultRow }
