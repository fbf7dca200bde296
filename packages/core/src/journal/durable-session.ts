import type { SinkCheckpoint, SourcePosition } from '@dataflow/sdk'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { Instances } from '../runtime/instantiate.js'
import type { ItemOutcome } from '../runtime/item-outcome.js'
import type { SinkDispatcher } from '../runtime/sink-dispatcher.js'
import type { SourceResume } from '../runtime/source-progress.js'
import { inputFingerprint, nodeFingerprints, sinkFingerprint } from './fingerprint.js'
import { JournalRecorder } from './journal-recorder.js'
import { prepareJournal, type PreparedJournal } from './prepare-journal.js'
import { readOutcome } from './read-outcome.js'
import type { ResumePlan } from './resume-plan.js'
import type { ItemRow, RunJournal } from './run-journal.js'
import type { RerunSelection } from './select-rerun.js'

/** Row of the checkpoints table holding the source's resume point (`ord` = the finished prefix). */
const SOURCE_CHECKPOINT = '#source'

/** Id of the engine's errors.jsonl among the sinks. */
export const ERRORS_SINK = '#errors'
const ERRORS_FINGERPRINT = 'errors.jsonl/v1'

export interface DurableOptions {
  /** The pipeline file and `--set` overrides of this session, stored for `dataflow rerun`. */
  pipelineFile: string
  set: readonly string[]
  rerun?: RerunSelection
  limit: number | undefined
  shard: { index: number; count: number } | undefined
}

/**
 * One session of a journaled run: the journal checked and prepared against this pipeline and
 * input, the recorder the engine writes through, where each sink starts, and how to bring sinks
 * up to date (replay) and record their checkpoints.
 */
export class DurableSession {
  readonly recorder: JournalRecorder
  private readonly fingerprints: Map<string, string>

  private constructor(
    readonly journal: RunJournal,
    private readonly pipeline: LoadedPipeline,
    readonly prepared: PreparedJournal,
  ) {
    this.recorder = new JournalRecorder(journal, prepared)
    this.fingerprints = new Map(pipeline.sinks.map((sink) => [sink.id, sinkFingerprint(sink)]))
    this.fingerprints.set(ERRORS_SINK, ERRORS_FINGERPRINT)
  }

  static async open(
    journal: RunJournal,
    pipeline: LoadedPipeline,
    instances: Instances,
    options: DurableOptions,
  ): Promise<DurableSession> {
    const input = await inputFingerprint(pipeline, instances.source, { limit: options.limit, shard: options.shard })
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
      sinks,
      ...(options.rerun ? { rerun: options.rerun } : {}),
      now: new Date(),
    })
    return new DurableSession(journal, pipeline, prepared)
  }

  get plan(): ResumePlan {
    return this.prepared.plan
  }

  resumeFrom(sinkId: string): SinkCheckpoint | undefined {
    return this.prepared.sinks.get(sinkId)?.resumeFrom
  }

  startOrd(sinkId: string): number {
    return this.prepared.sinks.get(sinkId)?.ord ?? 0
  }

  /**
   * Writes again, in their original order, the finished outcomes a sink does not hold yet (those
   * committed after its checkpoint; every one for a sink written from the start). Returns how many.
   */
  async replay(sinks: SinkDispatcher): Promise<number> {
    let after = Math.min(...[...this.prepared.sinks.values()].map((start) => start.ord))
    const page = this.journal.database.prepare(
      "SELECT * FROM items WHERE ord > ? AND outcome IN ('ok', 'rejected', 'error') ORDER BY ord LIMIT 256",
    )
    const order = this.pipeline.nodes.map((node) => node.id)
    let count = 0
    // Read a page at a time: memory stays bounded and no statement is open while sinks write.
    for (;;) {
      const rows = page.all(after) as ItemRow[]
      if (rows.length === 0) return count
      for (const row of rows) {
        const outcome: ItemOutcome = readOutcome(
          row,
          this.journal.nodeResults(row.seq),
          this.prepared.names,
          order,
          this.prepared.current,
        )
        await sinks.dispatch(outcome, row.ord!)
        after = row.ord!
        count++
      }
    }
  }

  /**
   * Where the source can continue: the finished prefix and the source position after it, as last
   * committed (dropped with every checkpoint when finished items are opened again).
   */
  sourceResume(): SourceResume | undefined {
    const row = this.journal.database
      .prepare('SELECT ord, value FROM checkpoints WHERE sink = ?')
      .get(SOURCE_CHECKPOINT) as { ord: number; value: string | null } | undefined
    if (!row || row.value === null) return undefined
    return { seq: row.ord, position: JSON.parse(row.value) as SourcePosition }
  }

  /** Queues the source's resume point; it commits with (after) the outcomes it covers. */
  recordSourceResume(resume: SourceResume): void {
    this.journal.queueCheckpoint(SOURCE_CHECKPOINT, '', resume.seq, JSON.stringify(resume.position))
  }

  /** Records sink positions committed by `SinkDispatcher.checkpoint()`. */
  recordCheckpoint(ord: number, positions: ReadonlyArray<{ id: string; value: Record<string, unknown> | null }>): void {
    for (const position of positions) {
      this.journal.queueCheckpoint(
        position.id,
        this.fingerprints.get(position.id) ?? '',
        ord,
        position.value === null ? null : JSON.stringify(position.value),
      )
    }
  }
}
