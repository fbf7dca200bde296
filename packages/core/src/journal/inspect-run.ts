import type { SerializedError } from '@dataflow/sdk'
import type { ItemFailure, ItemRejection, NodeMetrics } from '../runtime/item-outcome.js'
import type { ItemRow, JournalMeta, NodeResultRow } from './journal-rows.js'
import type { RunJournal } from './run-journal.js'

/** How many example items `inspectRun` lists per error group. */
const EXAMPLES = 3

/** Counts of one node over the run (current results only: results of a changed node that were not recomputed yet are left out). */
export interface NodeSummary {
  node: string
  done: number
  rejected: number
  failed: number
  /** Finished items the node has no result for: its `when` was false, or the item ended before it. */
  notRun: number
  meanMs: number
  requests: number
  promptTokens: number
  completionTokens: number
  /** Answers served from the request cache. */
  cached: number
}

/** Items that failed the same way. */
export interface ErrorGroup {
  code: string
  /** For node failures with `onError: continue`: the node. */
  node?: string
  count: number
  examples: Array<{ id: string; node: string; message: string }>
}

/** What `dataflow inspect <run dir>` shows. */
export interface RunInspection {
  pipeline: string
  pipelineFile: string
  createdAt: string
  items: { total: number; ok: number; rejected: number; error: number; interrupted: number; unfinished: number }
  nodes: NodeSummary[]
  /** Items that ended as errors, by code, most frequent first. */
  errors: ErrorGroup[]
  /** Nodes that failed while their item went on (`onError: continue`), by node and code. */
  nodeFailures: ErrorGroup[]
  /** Last committed checkpoint per sink (`#errors` is errors.jsonl). */
  checkpoints: Array<{ sink: string; ord: number; position: unknown }>
}

/** One node's part in an item's trace. */
export interface NodeTrace {
  node: string
  status: 'done' | 'rejected' | 'failed'
  attempts: number
  startedAt: string
  ms: number
  output?: unknown
  error?: SerializedError
  rejection?: Omit<ItemRejection, 'node'>
  metrics?: NodeMetrics
  /** The node changed since this result was recorded; a resume computes it again. */
  stale: boolean
}

/** Everything the journal knows of one item. */
export interface ItemTrace {
  id: string
  /** Position in the input. */
  seq: number
  outcome: ItemRow['outcome'] | 'unfinished'
  finishedAt?: string
  item: unknown
  rejection?: ItemRejection
  error?: ItemFailure
  failures: ItemFailure[]
  /** Nodes that ran, in pipeline order. Nodes not listed were skipped (`when`) or never reached. */
  nodes: NodeTrace[]
}

interface Context {
  meta: JournalMeta
  order: string[]
  names: Map<number, string>
  current: Map<number, number>
}

function context(journal: RunJournal): Context {
  const meta = journal.readMeta()
  if (!meta) throw new Error(`${journal.path} holds no run yet`)
  const db = journal.database
  const order = Object.keys(meta.nodes)
  const names = new Map<number, string>()
  const current = new Map<number, number>()
  const lookup = db.prepare(
    'SELECT n.id AS node, f.id AS fp FROM nodes n JOIN fingerprints f ON f.node = n.id WHERE n.name = ? AND f.hash = ?',
  )
  for (const name of order) {
    const row = lookup.get(name, meta.nodes[name]) as { node: number; fp: number } | undefined
    if (!row) continue
    names.set(row.node, name)
    current.set(row.node, row.fp)
  }
  return { meta, order, names, current }
}

/** Counts per outcome and node, and errors grouped by code with example items. */
export function inspectRun(journal: RunJournal): RunInspection {
  const db = journal.database
  const { meta, order, names, current } = context(journal)
  const items = { total: 0, ok: 0, rejected: 0, error: 0, interrupted: 0, unfinished: 0 }
  for (const row of db.prepare('SELECT outcome, count(*) AS n FROM items GROUP BY outcome').all() as Array<{
    outcome: ItemRow['outcome']
    n: number
  }>) {
    if (row.outcome === null) items.unfinished += row.n
    else items[row.outcome] += row.n
  }
  items.unfinished += (
    db
      .prepare(
        'SELECT count(DISTINCT r.seq) AS n FROM node_results r WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.seq = r.seq)',
      )
      .get() as {
      n: number
    }
  ).n
  items.total = items.ok + items.rejected + items.error + items.interrupted + items.unfinished
  const finished = items.ok + items.rejected + items.error

  const byNode = new Map(
    order.map((node) => [
      node,
      {
        node,
        done: 0,
        rejected: 0,
        failed: 0,
        notRun: 0,
        meanMs: 0,
        requests: 0,
        promptTokens: 0,
        completionTokens: 0,
        cached: 0,
      },
    ]),
  )
  const stats = db
    .prepare(
      `
    SELECT r.node, r.fp, r.status, count(*) AS n, sum(r.ms) AS ms,
      coalesce(sum(r.requests), 0) AS requests,
      coalesce(sum(r.prompt_tokens), 0) AS prompt,
      coalesce(sum(r.completion_tokens), 0) AS completion,
      coalesce(sum(r.cached), 0) AS cached,
      sum(CASE WHEN i.outcome IN ('ok', 'rejected', 'error') THEN 1 ELSE 0 END) AS finished
    FROM node_results r LEFT JOIN items i ON i.seq = r.seq GROUP BY r.node, r.fp, r.status`,
    )
    .all() as Array<{
    node: number
    fp: number
    status: NodeResultRow['status']
    n: number
    ms: number
    requests: number
    prompt: number
    completion: number
    cached: number
    finished: number
  }>
  const ranIn = new Map<string, number>()
  for (const row of stats) {
    const name = names.get(row.node)
    const summary = name === undefined ? undefined : byNode.get(name)
    if (!summary || current.get(row.node) !== row.fp) continue
    summary[row.status] += row.n
    summary.meanMs += row.ms
    summary.requests += row.requests
    summary.promptTokens += row.prompt
    summary.completionTokens += row.completion
    summary.cached += row.cached
    ranIn.set(name!, (ranIn.get(name!) ?? 0) + row.finished)
  }
  for (const summary of byNode.values()) {
    const ran = summary.done + summary.rejected + summary.failed
    summary.meanMs = ran === 0 ? 0 : Math.round((summary.meanMs / ran) * 10) / 10
    summary.notRun = Math.max(0, finished - (ranIn.get(summary.node) ?? 0))
  }

  const errors: ErrorGroup[] = []
  const examples = db.prepare(
    "SELECT id, error FROM items WHERE outcome = 'error' AND coalesce(error_code, '') = ? ORDER BY seq LIMIT ?",
  )
  for (const row of db
    .prepare(
      "SELECT coalesce(error_code, '') AS code, count(*) AS n FROM items WHERE outcome = 'error' GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .all() as Array<{ code: string; n: number }>) {
    errors.push({
      code: row.code || 'unknown',
      count: row.n,
      examples: (examples.all(row.code, EXAMPLES) as Array<{ id: string; error: string | null }>).map((example) => {
        const failure = example.error === null ? undefined : (JSON.parse(example.error) as ItemFailure)
        return { id: example.id, node: failure?.node ?? '?', message: failure?.error.message ?? '' }
      }),
    })
  }

  const nodeFailures: ErrorGroup[] = []
  const failureExamples = db.prepare(`
    SELECT coalesce(i.id, '#' || r.seq) AS id, r.error FROM node_results r LEFT JOIN items i ON i.seq = r.seq
    WHERE r.status = 'failed' AND r.node = ? AND coalesce(json_extract(r.error, '$.code'), '') = ? AND (i.outcome IS NULL OR i.outcome != 'error') ORDER BY r.seq LIMIT ?`)
  const failureGroups = db
    .prepare(
      `
    SELECT r.node, r.fp, coalesce(json_extract(r.error, '$.code'), '') AS code, count(*) AS n FROM node_results r LEFT JOIN items i ON i.seq = r.seq
    WHERE r.status = 'failed' AND (i.outcome IS NULL OR i.outcome != 'error') GROUP BY 1, 2, 3 ORDER BY 4 DESC`,
    )
    .all() as Array<{ node: number; fp: number; code: string; n: number }>
  for (const row of failureGroups) {
    const name = names.get(row.node)
    if (name === undefined || current.get(row.node) !== row.fp) continue
    nodeFailures.push({
      code: row.code || 'unknown',
      node: name,
      count: row.n,
      examples: (failureExamples.all(row.node, row.code, EXAMPLES) as Array<{ id: string; error: string }>).map(
        (example) => ({
          id: example.id,
          node: name,
          message: (JSON.parse(example.error) as SerializedError).message,
        }),
      ),
    })
  }

  const checkpoints = (
    db.prepare('SELECT sink, ord, value FROM checkpoints ORDER BY sink').all() as Array<{
      sink: string
      ord: number
      value: string | null
    }>
  ).map((row) => ({
    sink: row.sink,
    ord: row.ord,
    position: row.value === null ? null : (JSON.parse(row.value) as unknown),
  }))
  return {
    pipeline: meta.pipeline,
    pipelineFile: meta.pipelineFile,
    createdAt: meta.createdAt,
    items,
    nodes: [...byNode.values()],
    errors,
    nodeFailures,
    checkpoints,
  }
}

/** One item's full trace, by item id; undefined when the journal has no such item. */
export function traceItem(journal: RunJournal, id: string): ItemTrace | undefined {
  const { order, names, current } = context(journal)
  const row = journal.itemById(id)
  if (!row) return undefined
  const position = new Map(order.map((node, index) => [node, index]))
  const nodes = journal
    .nodeResults(row.seq)
    .filter((result) => names.has(result.node))
    .sort((a, b) => position.get(names.get(a.node)!)! - position.get(names.get(b.node)!)!)
    .map((result): NodeTrace => ({
      node: names.get(result.node)!,
      status: result.status,
      attempts: result.attempts,
      startedAt: new Date(result.startedAt).toISOString(),
      ms: result.metrics.ms,
      ...(result.output === null ? {} : { output: JSON.parse(result.output) as unknown }),
      ...(result.status === 'failed' && result.error !== null
        ? { error: JSON.parse(result.error) as SerializedError }
        : {}),
      ...(result.status === 'rejected' && result.error !== null
        ? { rejection: JSON.parse(result.error) as Omit<ItemRejection, 'node'> }
        : {}),
      metrics: result.metrics,
      stale: current.get(result.node) !== result.fp,
    }))
  return {
    id: row.id,
    seq: row.seq,
    outcome: row.outcome ?? 'unfinished',
    ...(row.finishedAt === null ? {} : { finishedAt: new Date(row.finishedAt).toISOString() }),
    item: row.item === null ? null : (JSON.parse(row.item) as unknown),
    ...(row.rejection === null ? {} : { rejection: JSON.parse(row.rejection) as ItemRejection }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as ItemFailure }),
    failures: row.failures === null ? [] : (JSON.parse(row.failures) as ItemFailure[]),
    nodes,
  }
}
