import type { NodeMetrics } from '../runtime/item-outcome.js'

/** What a run directory was started with; a resume must match it. */
export interface JournalMeta {
  version: number
  /** Pipeline `name:`. */
  pipeline: string
  /** Absolute path of the pipeline file the run was started from (rerun loads it again). */
  pipelineFile: string
  /** `--set` overrides of the first run. */
  set: string[]
  /** Hash of the input: source plugin and config, the source's own fingerprint and shard. */
  input: string
  /** `--limit` of the latest session (null: none). A resume may raise or drop it, never lower it. */
  limit: number | null
  /** What the input hash covers, for messages. */
  inputParts: Record<string, unknown>
  /** Node fingerprint hashes of the latest session, by node id: what a resume compares against. */
  nodes: Record<string, string>
  createdAt: string
}

/** How a node that ran ended, as journaled. Skipped nodes are not journaled (their `when` is cheap to evaluate again). */
export type JournalNodeStatus = 'done' | 'rejected' | 'failed'

/** One journaled node result, as the journal's readers and writers see it (JSON fields as text). */
export interface NodeResultRow {
  /** The item's input position. */
  seq: number
  /** Journal id of the node (a row of `nodes`). */
  node: number
  /** Journal id of the node's fingerprint (a row of `fingerprints`). */
  fp: number
  status: JournalNodeStatus
  output: string | null
  /** The error (failed) or the rejection `{ reason, details }` (rejected). */
  error: string | null
  attempts: number
  /** Epoch ms. */
  startedAt: number
  /** Wall time (`ms`), requests, tokens and served models of the call. */
  metrics: NodeMetrics
}

/** One journaled item. `outcome` null: started, or reset by a rerun, and not finished. */
export interface ItemRow {
  seq: number
  id: string
  outcome: 'ok' | 'rejected' | 'error' | 'interrupted' | null
  ord: number | null
  item: string | null
  rejection: string | null
  error: string | null
  errorCode: string | null
  failures: string | null
  finishedAt: number | null
}

/** A sink's last committed checkpoint. */
export interface CheckpointRow {
  sink: string
  /** The sink's fingerprint when the checkpoint was taken. */
  fp: string
  ord: number
  /** The checkpoint as JSON; null for sinks without checkpoints. */
  value: string | null
}
