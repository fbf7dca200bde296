import { DataflowError, type SinkCheckpoint } from '@dataflow/sdk'
import { canonicalJson } from '@dataflow/inference'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { changedParts, type Fingerprint, type NodeFingerprintParts } from './fingerprint.js'
import { JOURNAL_VERSION } from './journal-schema.js'
import type { ResumePlan } from './resume-plan.js'
import type { RunJournal } from './run-journal.js'
import { applyRerun, type RerunSelection } from './select-rerun.js'

export interface PrepareJournalInput {
  pipeline: LoadedPipeline
  /** The pipeline file and `--set` overrides of this session (stored: rerun loads them again). */
  pipelineFile: string
  set: readonly string[]
  input: Fingerprint
  nodes: ReadonlyArray<Fingerprint<NodeFingerprintParts>>
  /** Every sink (and the engine's own errors file) with its fingerprint. */
  sinks: ReadonlyArray<{ id: string; fingerprint: string }>
  rerun?: RerunSelection
  now: Date
}

/** Where a sink starts: its checkpoint to resume from (none: created fresh) and the outcomes already in it. */
export interface SinkStart {
  resumeFrom: SinkCheckpoint | undefined
  /** Outcomes with a commit order up to this are in the sink; later ones are written again. */
  ord: number
}

/** The journal's state for this run, after checks, rerun selection and fingerprint comparison. */
export interface PreparedJournal {
  plan: ResumePlan
  /** Journal node id of each pipeline node, by plan index. */
  nodeIds: number[]
  /** Journal fingerprint id of each pipeline node, by plan index. */
  fingerprintIds: number[]
  /** Journal node id -> pipeline node id, for the nodes of this pipeline. */
  names: Map<number, string>
  /** Journal node id -> current fingerprint id. */
  current: Map<number, number>
  sinks: Map<string, SinkStart>
  /** Highest input position with journaled rows (-1: none): items after it are new. */
  maxSeq: number
  /** Finished items kept from earlier sessions, by outcome, and their errors by code. */
  kept: { ok: number; rejected: number; error: number; errorsByCode: Record<string, number> }
}

/**
 * Checks that the journal belongs to this pipeline and input (else DATAFLOW_RESUME_MISMATCH),
 * applies a rerun selection, opens again the finished items whose journaled results no longer
 * match the pipeline, and records this session's fingerprints. A new journal gets its metadata.
 */
export function prepareJournal(journal: RunJournal, input: PrepareJournalInput): PreparedJournal {
  const { pipeline } = input
  const meta = journal.readMeta()
  const db = journal.database
  if (meta) {
    if (meta.pipeline !== pipeline.name) {
      throw new DataflowError(
        'DATAFLOW_RESUME_MISMATCH',
        `the run in ${journal.path} is of pipeline "${meta.pipeline}", not "${pipeline.name}"`,
        {
          hint: 'resume it with the pipeline it was started with, or start a new run directory (--out)',
        },
      )
    }
    if (meta.input !== input.input.hash) {
      const differs = changedParts(meta.inputParts, input.input.parts).join(', ')
      throw new DataflowError(
        'DATAFLOW_RESUME_MISMATCH',
        `the input differs from the run's (${differs}): resuming would mix two datasets in one run`,
        {
          hint: 'resume with the same source settings, --limit and --shard, on unchanged input files; or start a new run directory (--out)',
          details: { before: meta.inputParts, now: input.input.parts },
        },
      )
    }
  }
  const nodeIds = pipeline.nodes.map((node) => journal.nodeId(node.id))
  const fingerprintIds = input.nodes.map((fingerprint, index) =>
    journal.fingerprintId(nodeIds[index]!, fingerprint.hash, fingerprint.parts),
  )
  const names = new Map(nodeIds.map((id, index) => [id, pipeline.nodes[index]!.id]))
  const current = new Map(nodeIds.map((id, index) => [id, fingerprintIds[index]!]))
  const plan: ResumePlan = {
    resumed: meta !== undefined,
    kept: 0,
    unfinished: 0,
    changed: [],
    recompute: [],
    reopened: 0,
    reopenedAll: false,
    rewrittenSinks: [],
  }
  const recompute = new Map<string, number>()
  let reopened = 0

  if (meta && input.rerun) {
    const { selected, deleted } = applyRerun(journal, pipeline, input.rerun, names, current)
    plan.rerun = { selected, from: input.rerun.from, where: input.rerun.where?.source }
    for (const [node, count] of deleted) recompute.set(node, count)
    reopened += selected
  }

  if (meta) {
    const previousParts = db.prepare('SELECT parts FROM fingerprints WHERE node = ? AND hash = ?')
    for (const [index, node] of pipeline.nodes.entries()) {
      const before = meta.nodes[node.id]
      const now = input.nodes[index]!
      if (before === now.hash) continue
      const row =
        before === undefined ? undefined : (previousParts.get(nodeIds[index], before) as { parts: string } | undefined)
      const parts = changedParts(
        row === undefined ? undefined : (JSON.parse(row.parts) as Record<string, unknown>),
        now.parts,
      )
      plan.changed.push({ node: node.id, parts })
      if (parts.some((part) => part === 'new node' || part === 'when' || part === 'needs')) plan.reopenedAll = true
    }
    const counts = db.prepare('SELECT node, fp, count(*) AS n FROM node_results GROUP BY node, fp').all() as Array<{
      node: number
      fp: number
      n: number
    }>
    const staleNodes: Array<[number, number]> = []
    for (const { node, fp, n } of counts) {
      const name = names.get(node)
      if (name === undefined || current.get(node) === fp) continue
      recompute.set(name, (recompute.get(name) ?? 0) + n)
      staleNodes.push([node, current.get(node)!])
    }
    db.transaction(() => {
      if (plan.reopenedAll) {
        reopened += db
          .prepare("UPDATE items SET outcome = NULL, ord = NULL WHERE outcome IN ('ok', 'rejected', 'error')")
          .run().changes
      } else {
        const reopen = db.prepare(
          "UPDATE items SET outcome = NULL, ord = NULL WHERE outcome IN ('ok', 'rejected', 'error') AND seq IN (SELECT seq FROM node_results WHERE node = ? AND fp != ?)",
        )
        for (const [node, fp] of staleNodes) reopened += reopen.run(node, fp).changes
      }
      // Reopened items are in the sinks with their old outcome: every sink is written again.
      if (reopened > 0) db.prepare('DELETE FROM checkpoints').run()
    })()
  }
  plan.reopened = reopened
  plan.recompute = pipeline.nodes
    .filter((node) => recompute.has(node.id))
    .map((node) => ({ node: node.id, items: recompute.get(node.id)! }))

  const checkpoints = new Map(
    (
      db.prepare('SELECT sink, fp, ord, value FROM checkpoints').all() as Array<{
        sink: string
        fp: string
        ord: number
        value: string | null
      }>
    ).map((row) => [row.sink, row]),
  )
  const sinks = new Map<string, SinkStart>()
  for (const sink of input.sinks) {
    const checkpoint = checkpoints.get(sink.id)
    if (checkpoint && checkpoint.fp === sink.fingerprint && checkpoint.value !== null) {
      sinks.set(sink.id, { resumeFrom: JSON.parse(checkpoint.value) as SinkCheckpoint, ord: checkpoint.ord })
    } else {
      sinks.set(sink.id, { resumeFrom: undefined, ord: 0 })
      if (meta) plan.rewrittenSinks.push(sink.id)
    }
  }

  const kept = { ok: 0, rejected: 0, error: 0, errorsByCode: {} as Record<string, number> }
  for (const row of db
    .prepare("SELECT outcome, count(*) AS n FROM items WHERE outcome IN ('ok', 'rejected', 'error') GROUP BY outcome")
    .all() as Array<{ outcome: 'ok' | 'rejected' | 'error'; n: number }>) {
    kept[row.outcome] = row.n
  }
  for (const row of db
    .prepare("SELECT error_code, count(*) AS n FROM items WHERE outcome = 'error' GROUP BY error_code")
    .all() as Array<{ error_code: string | null; n: number }>) {
    kept.errorsByCode[row.error_code ?? 'unknown'] = row.n
  }
  plan.kept = kept.ok + kept.rejected + kept.error
  const started = db
    .prepare(
      "SELECT count(*) AS n FROM (SELECT seq FROM items WHERE outcome IS NULL OR outcome = 'interrupted' UNION SELECT DISTINCT seq FROM node_results WHERE seq NOT IN (SELECT seq FROM items))",
    )
    .get() as { n: number }
  plan.unfinished = started.n

  journal.writeMeta({
    version: JOURNAL_VERSION,
    pipeline: pipeline.name,
    pipelineFile: input.pipelineFile,
    set: [...input.set],
    input: input.input.hash,
    inputParts: JSON.parse(canonicalJson(input.input.parts)) as Record<string, unknown>,
    nodes: Object.fromEntries(pipeline.nodes.map((node, index) => [node.id, input.nodes[index]!.hash])),
    createdAt: meta?.createdAt ?? input.now.toISOString(),
  })
  return { plan, nodeIds, fingerprintIds, names, current, sinks, maxSeq: journal.maxSeq(), kept }
}
