import { DataflowError, type SinkCheckpoint } from '@dataflow/sdk'
import { canonicalJson } from '@dataflow/inference'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { changedParts, type Fingerprint, type NodeFingerprintParts } from './fingerprint.js'
import { JOURNAL_VERSION } from './journal-schema.js'
import type { KeptOutcomes, ResumePlan } from '../runtime/run-store.js'
import type { RunJournal } from './run-journal.js'
import { applyRerun, type RerunSelection } from './select-rerun.js'

export interface PrepareJournalInput {
  pipeline: LoadedPipeline
  /** The pipeline file and `--set` overrides of this session (stored: rerun loads them again). */
  pipelineFile: string
  set: readonly string[]
  input: Fingerprint
  /** `--limit` of this session (null: none). */
  limit: number | null
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
  kept: KeptOutcomes
}

/**
 * Checks that the journal belongs to this pipeline and input (else DATAFLOW_RESUME_MISMATCH),
 * applies a rerun selection, opens again the finished items whose journaled results no longer
 * match the pipeline, and records this session's fingerprints. A new journal gets its metadata.
 */
export function prepareJournal(journal: RunJournal, input: PrepareJournalInput): PreparedJournal {
  const { pipeline } = input
  const meta = journal.readMeta()
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
          hint: 'resume with the same source settings and --shard, on unchanged input files; or start a new run directory (--out)',
          details: { before: meta.inputParts, now: input.input.parts },
        },
      )
    }
    checkLimit(meta.limit, input.limit)
  }
  const nodeIds = pipeline.nodes.map((node) => journal.nodeId(node.id))
  const fingerprintIds = input.nodes.map((fingerprint, index) =>
    journal.fingerprintId(nodeIds[index]!, fingerprint.hash, fingerprint.parts),
  )
  const names = new Map(nodeIds.map((id, index) => [id, pipeline.nodes[index]!.id]))
  const current = new Map(nodeIds.map((id, index) => [id, fingerprintIds[index]!]))
  const plan: ResumePlan = {
    resumed: meta !== undefined,
    ...(meta && meta.limit !== null && meta.limit !== input.limit
      ? { extended: { from: meta.limit, to: input.limit } }
      : {}),
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
    const staleNodes: Array<[number, number]> = []
    for (const [index, node] of pipeline.nodes.entries()) {
      const before = meta.nodes[node.id]
      const now = input.nodes[index]!
      if (before === now.hash) continue
      const parts = changedParts(
        before === undefined ? undefined : journal.fingerprintParts(nodeIds[index]!, before),
        now.parts,
      )
      plan.changed.push({ node: node.id, parts })
      if (parts.some((part) => part === 'new node' || part === 'when' || part === 'needs')) plan.reopenedAll = true
    }
    for (const { node, fp, n } of journal.resultCounts()) {
      const name = names.get(node)
      if (name === undefined || current.get(node) === fp) continue
      recompute.set(name, (recompute.get(name) ?? 0) + n)
      staleNodes.push([node, current.get(node)!])
    }
    reopened += journal.reopenFinished(plan.reopenedAll ? 'all' : staleNodes)
  }
  plan.reopened = reopened
  plan.recompute = pipeline.nodes
    .filter((node) => recompute.has(node.id))
    .map((node) => ({ node: node.id, items: recompute.get(node.id)! }))

  const checkpoints = new Map(journal.checkpoints().map((row) => [row.sink, row]))
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

  const kept = journal.finishedCounts()
  plan.kept = kept.ok + kept.rejected + kept.error
  plan.unfinished = journal.unfinishedCount()

  journal.writeMeta({
    version: JOURNAL_VERSION,
    pipeline: pipeline.name,
    pipelineFile: input.pipelineFile,
    set: [...input.set],
    input: input.input.hash,
    limit: input.limit,
    inputParts: JSON.parse(canonicalJson(input.input.parts)) as Record<string, unknown>,
    nodes: Object.fromEntries(pipeline.nodes.map((node, index) => [node.id, input.nodes[index]!.hash])),
    createdAt: meta?.createdAt ?? input.now.toISOString(),
  })
  return { plan, nodeIds, fingerprintIds, names, current, sinks, maxSeq: journal.maxSeq(), kept }
}

/**
 * A resume may raise `--limit` or drop it (a pilot extended into the full run: the first items are
 * the same), but not lower it: finished items beyond the new limit would stay in the sinks.
 */
function checkLimit(before: number | null, now: number | null): void {
  if (before === null ? now === null : now === null || now >= before) return
  const was = before === null ? 'no --limit' : `--limit ${before}`
  throw new DataflowError(
    'DATAFLOW_RESUME_MISMATCH',
    `the run was started with ${was}; resuming it with --limit ${now} would leave finished items outside the input`,
    {
      hint: `resume with ${before === null ? 'no --limit' : `--limit ${before} or more, or none`}; or start a new run directory (--out)`,
      details: { before, now },
    },
  )
}
