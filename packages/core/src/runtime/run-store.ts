import type { DataflowError, SinkCheckpoint } from '@dataflow/sdk'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { Instances } from './instantiate.js'
import type { ItemOutcome } from './item-outcome.js'
import type { PriorResult } from './item-run.js'
import type { SinkPosition } from './sink-dispatcher.js'
import type { SourceResume } from './source-progress.js'

/** What a run will do with what earlier sessions stored; printed before it starts. */
export interface ResumePlan {
  /** False for a new run directory. */
  resumed: boolean
  /** A run started with `--limit` resumed with a larger one (`to`) or none (`to` null): it goes on where it stopped. */
  extended?: { from: number; to: number | null }
  /** Finished items that stay as they are: skipped while reading the input. */
  kept: number
  /** Items started (or interrupted, or opened again) earlier that will be finished now, reusing their finished nodes. */
  unfinished: number
  /** Nodes whose fingerprint changed since the last session, and which parts changed (`with`, `identity`, `models`, `upstream`, ...). */
  changed: Array<{ node: string; parts: string[] }>
  /** Per node: items whose stored result is no longer valid and will be computed again. */
  recompute: Array<{ node: string; items: number }>
  /** Finished items opened again (the pipeline changed, or a rerun selected them). */
  reopened: number
  /** When the change can alter which nodes run (a new node, a changed `when` or `needs`): every finished item is evaluated again. */
  reopenedAll: boolean
  /** Sinks written again from the start out of the store (their checkpoint no longer applies). */
  rewrittenSinks: string[]
  /** Set by `dataflow rerun`. */
  rerun?: { selected: number; from: string | undefined; where: string | undefined }
}

/** Finished outcomes that earlier sessions stored, counted into this session's progress and report. */
export interface KeptOutcomes {
  ok: number
  rejected: number
  error: number
  errorsByCode: Record<string, number>
}

/** What the store knows of the item at one input position. */
export type StoredItem =
  /** The item finished in an earlier session: skip it (the id must match the input's). */
  | { finished: string }
  /** The item started earlier: the node results still valid for this pipeline, by plan index. */
  | { prior: Array<PriorResult | undefined> }

/** Told when a stored write it waits for is durable. */
export interface CommitListener {
  /** `index`: the value given with the write (the plan index of the node whose result it was). */
  committed(index: number): void
}

/** Where finished node calls are recorded durably. */
export interface NodeResultSink {
  /**
   * Records the result of node `index` for the item at input position `sequence`. With a
   * `listener`, `listener.committed(index)` is called once the result is durable: the item waits
   * for it before its dependents start.
   */
  recordResult(
    sequence: number,
    index: number,
    result: PriorResult,
    elapsedMs: number,
    listener: CommitListener | undefined,
  ): void
}

/**
 * The runtime's view of durable run state (the run journal implements it): what earlier sessions
 * finished, where each sink resumes, and where this session's node results, outcomes and sink
 * checkpoints go. The runtime never sees how it is stored.
 */
export interface RunStore extends NodeResultSink {
  readonly plan: ResumePlan
  readonly kept: KeptOutcomes
  /** The checkpoint a sink resumes from (undefined: it is written from the start). */
  resumeFrom(sinkId: string): SinkCheckpoint | undefined
  /** Outcomes with a commit order up to this are in the sink already. */
  startOrd(sinkId: string): number
  /** Commit order of the latest outcome stored (0: none). */
  readonly lastOrd: number
  /** What is stored for input position `sequence`, if anything. */
  lookup(sequence: number): StoredItem | undefined
  /**
   * Stores an item's outcome; returns its commit order (the order sinks receive it in), or 0 for
   * interrupted items. `ord` rewrites an outcome stored before (a sink refused the record).
   */
  recordOutcome(outcome: ItemOutcome, ord?: number): number
  /**
   * Hands `write`, in commit order, the finished outcomes some sink does not hold yet (those stored
   * after its checkpoint). Returns how many.
   */
  replay(write: (outcome: ItemOutcome, ord: number) => Promise<unknown>): Promise<number>
  /** Records sink positions taken after every outcome up to `ord` was written. */
  recordCheckpoint(ord: number, positions: readonly SinkPosition[]): void
  /**
   * Where the source continues: the finished prefix of the input and the source position after it,
   * as last recorded (undefined: read the input from the start).
   */
  sourceResume(): SourceResume | undefined
  /** Records the source's resume point; it is durable with (after) the outcomes it covers. */
  recordSourceResume(resume: SourceResume): void
  /** Called once if a write fails: the run cannot keep its promises and must stop. */
  onFailure(listener: (error: DataflowError) => void): void
  /** Makes everything recorded so far durable, now. */
  flush(): void
}

/** Opens the store of a run once the pipeline's instances exist (their fingerprints decide what is reused). */
export type OpenRunStore = (pipeline: LoadedPipeline, instances: Instances) => Promise<RunStore>
