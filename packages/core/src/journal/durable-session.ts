import type { DataflowError, SinkCheckpoint, SourcePosition } from '@dataflow/sdk'
import { ERRORS_SINK } from '../runtime/errors-sink.js'
import type { ItemOutcome } from '../runtime/item-outcome.js'
import type { PriorResult } from '../runtime/item-run.js'
import type {
  CommitListener,
  KeptOutcomes,
  OpenRunStore,
  ResumePlan,
  RunStore,
  StoredItem,
} from '../runtime/run-store.js'
import type { SinkPosition } from '../runtime/sink-dispatcher.js'
import type { SourceResume } from '../runtime/source-progress.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { inputFingerprint, nodeFingerprints, sinkFingerprint } from './fingerprint.js'
import { prepareJournal, type PreparedJournal } from './prepare-journal.js'
import { readOutcome, toPriorResult } from './read-outcome.js'
import type { RunJournal } from './run-journal.js'
import type { RerunSelection } from './select-rerun.js'

const ERRORS_FINGERPRINT = 'errors.jsonl/v1'
/** Row of the checkpoints table holding the source's resume point (`ord` = the finished prefix); dropped with the others when finished items are opened again. */
const SOURCE_CHECKPOINT = '#source'
/** Finished items read per query while replaying: memory stays bounded and no statement is open while sinks write. */
const REPLAY_PAGE = 256

export interface DurableOptions {
  /** The pipeline file and `--set` overrides of this session, stored for `dataflow rerun`. */
  pipelineFile: string
  set: readonly string[]
  rerun?: RerunSelection
  limit: number | undefined
  shard: { index: number; count: number } | undefined
}

/** The run journal as the store of a run: checks and prepares it against the pipeline and input once instances exist. */
export function openDurableSession(journal: RunJournal, options: DurableOptions): OpenRunStore {
  return async (pipeline, instances) => {
    const input = await inputFingerprint(pipeline, instances.source, { shard: options.shard })
    const sinks = [
      ...pipeline.sinks.map((sink) => ({ id: sink.id, fingerprint: sinkFingerprint(sink) })),
      { id: ERRORS_SINK, fingerprint: ERRORS_FINGERPRINT },
    ]
    const prepared = prepareJournal(journal, {
      pipeline,
      pipelineFile: options.pipelineFile,
      set: options.set,
      input,
      nodes: nodeFingerprints(pipeline, instances.nodes),
      limit: options.limit ?? null,
      sinks,
      ...(options.rerun ? { rerun: options.rerun } : {}),
      now: new Date(),
    })
    return new DurableSession(journal, pipeline, prepared)
  }
}

/**
 * One session of a journaled run, the journal's implementation of the runtime's {@link RunStore}:
 * node results and outcomes go to the journal (group-committed), what earlier sessions finished
 * is read back, sinks are brought up to date (replay) and their checkpoints recorded.
 */
export class DurableSession implements RunStore {
  private readonly fingerprints: Map<string, string>
  private readonly indexOf: Map<number, number>
  private readonly order: string[]

  constructor(
    private readonly journal: RunJournal,
    pipeline: LoadedPipeline,
    private readonly prepared: PreparedJournal,
  ) {
    this.fingerprints = new Map(pipeline.sinks.map((sink) => [sink.id, sinkFingerprint(sink)]))
    this.fingerprints.set(ERRORS_SINK, ERRORS_FINGERPRINT)
    this.indexOf = new Map(prepared.nodeIds.map((id, index) => [id, index]))
    this.order = pipeline.nodes.map((node) => node.id)
  }

  get plan(): ResumePlan {
    return this.prepared.plan
  }

  get kept(): KeptOutcomes {
    return this.prepared.kept
  }

  get lastOrd(): number {
    return this.journal.lastOrd
  }

  resumeFrom(sinkId: string): SinkCheckpoint | undefined {
    return this.prepared.sinks.get(sinkId)?.resumeFrom
  }

  startOrd(sinkId: string): number {
    return this.prepared.sinks.get(sinkId)?.ord ?? 0
  }

  lookup(sequence: number): StoredItem | undefined {
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

  recordResult(
    sequence: number,
    index: number,
    result: PriorResult,
    elapsedMs: number,
    listener: CommitListener | undefined,
  ): void {
    this.journal.queueNodeResult(
      {
        seq: sequence,
        node: this.prepared.nodeIds[index]!,
        fp: this.prepared.fingerprintIds[index]!,
        status: result.status,
        output: result.status === 'failed' || result.output === undefined ? null : JSON.stringify(result.output),
        error:
          result.status === 'failed'
            ? JSON.stringify(result.error)
            : result.status === 'rejected'
              ? JSON.stringify(result.rejection)
              : null,
        attempts: result.attempts,
        startedAt: Date.now() - elapsedMs,
        metrics: result.metrics,
      },
      listener,
      index,
    )
  }

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
      errorCode: outcome.error?.error.code ?? null,
      failures: outcome.failures.length > 0 ? JSON.stringify(outcome.failures) : null,
      finishedAt: Date.now(),
    })
    return ord
  }

  async replay(write: (outcome: ItemOutcome, ord: number) => Promise<unknown>): Promise<number> {
    let after = Math.min(...[...this.prepared.sinks.values()].map((start) => start.ord))
    let count = 0
    for (;;) {
      const rows = this.journal.finishedAfter(after, REPLAY_PAGE)
      if (rows.length === 0) return count
      for (const row of rows) {
        const results = this.journal.nodeResults(row.seq)
        await write(readOutcome(row, results, this.prepared.names, this.order, this.prepared.current), row.ord!)
        after = row.ord!
        count++
      }
    }
  }

  recordCheckpoint(ord: number, positions: readonly SinkPosition[]): void {
    for (const position of positions) {
      this.journal.queueCheckpoint(
        position.id,
        this.fingerprints.get(position.id) ?? '',
        ord,
        position.value === null ? null : JSON.stringify(position.value),
      )
    }
  }

  sourceResume(): SourceResume | undefined {
    const row = this.journal.checkpoints().find((checkpoint) => checkpoint.sink === SOURCE_CHECKPOINT)
    if (!row || row.value === null) return undefined
    return { seq: row.ord, position: JSON.parse(row.value) as SourcePosition }
  }

  recordSourceResume(resume: SourceResume): void {
    this.journal.queueCheckpoint(SOURCE_CHECKPOINT, '', resume.seq, JSON.stringify(resume.position))
  }

  onFailure(listener: (error: DataflowError) => void): void {
    this.journal.onFailure(listener)
  }

  flush(): void {
    this.journal.flush()
  }
}
