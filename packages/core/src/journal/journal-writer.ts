import type Database from 'better-sqlite3'
import { DataflowError } from '@dataflow/sdk'
import type { CommitListener } from '../runtime/run-store.js'
import type { JournalCodec } from './journal-codec.js'
import type { ItemRow, NodeResultRow } from './journal-rows.js'
import {
  ITEM_INSERT,
  ITEM_VALUES,
  NODE_RESULT_INSERT,
  NODE_RESULT_VALUES,
  pushItemValues,
  pushNodeResultValues,
} from './journal-storage.js'

/** A commit costs a WAL write whatever it holds; results arriving within this window share one. */
const MIN_COMMIT_INTERVAL_MS = 2
const CHECKPOINT_COLUMNS = 4
/** Node results per multi-row INSERT: one native call instead of 32 (about a quarter less time per row). */
const ROWS_PER_INSERT = 32

type Statement = Database.Statement<unknown[], unknown>

/**
 * The journal's group commit: writes are queued as flat value lists (no object kept per row) and
 * committed together in one transaction at the next turn of the event loop, but not sooner than
 * MIN_COMMIT_INTERVAL_MS after the previous commit. A writer that must not go on before its row is
 * durable passes a listener, told right after the commit.
 */
export class JournalWriter {
  private readonly insertNode: Statement
  private readonly insertNodes: Statement
  private readonly insertItem: Statement
  private readonly insertCheckpoint: Statement
  private nodeValues: unknown[] = []
  private itemValues: unknown[] = []
  private checkpointValues: unknown[] = []
  private listeners: CommitListener[] = []
  private listenerArgs: number[] = []
  private scheduled = false
  private lastFlushAt = 0
  private failure: DataflowError | undefined
  private failureListener: ((error: DataflowError) => void) | undefined
  private readonly flushNow = () => {
    this.scheduled = false
    this.flush()
  }

  /**
   * `modelSet` gives the row of `model_sets` for a node's served model names. Texts are encoded
   * (deflated) when queued, not in the commit.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly modelSet: (names: readonly string[]) => number,
    private readonly codec: JournalCodec,
  ) {
    const nodeRow = `(${new Array(NODE_RESULT_VALUES).fill('?').join(',')})`
    this.insertNode = db.prepare(NODE_RESULT_INSERT + nodeRow)
    this.insertNodes = db.prepare(NODE_RESULT_INSERT + new Array(ROWS_PER_INSERT).fill(nodeRow).join(','))
    this.insertItem = db.prepare(`${ITEM_INSERT}(${new Array(ITEM_VALUES).fill('?').join(',')})`)
    this.insertCheckpoint = db.prepare('INSERT OR REPLACE INTO checkpoints (sink, fp, ord, value) VALUES (?,?,?,?)')
  }

  /** Called once if a commit fails. */
  onFailure(listener: (error: DataflowError) => void): void {
    this.failureListener = listener
  }

  queueNodeResult(row: NodeResultRow, listener: CommitListener | undefined, index: number): void {
    const models = row.metrics.models
    pushNodeResultValues(this.nodeValues, row, models === undefined ? null : this.modelSet(models), this.codec)
    if (listener) {
      this.listeners.push(listener)
      this.listenerArgs.push(index)
    }
    this.schedule()
  }

  queueItem(row: ItemRow): void {
    pushItemValues(this.itemValues, row, this.codec)
    this.schedule()
  }

  queueCheckpoint(sink: string, fingerprint: string, ord: number, value: string | null): void {
    this.checkpointValues.push(sink, fingerprint, ord, value)
    this.schedule()
  }

  /**
   * Commits everything queued in one transaction, then tells the listeners. Synchronous. Node
   * results go first, then items, then checkpoints: an outcome never commits without the results
   * it was made of, nor a checkpoint without the outcomes it covers.
   */
  flush(): void {
    if (
      this.nodeValues.length === 0 &&
      this.itemValues.length === 0 &&
      this.checkpointValues.length === 0 &&
      this.listeners.length === 0
    )
      return
    this.lastFlushAt = performance.now()
    const nodes = this.nodeValues
    const items = this.itemValues
    const checkpoints = this.checkpointValues
    const listeners = this.listeners
    const listenerArgs = this.listenerArgs
    this.nodeValues = []
    this.itemValues = []
    this.checkpointValues = []
    this.listeners = []
    this.listenerArgs = []
    if (this.failure === undefined && this.db.open) {
      try {
        this.db.exec('BEGIN')
        const chunk = NODE_RESULT_VALUES * ROWS_PER_INSERT
        let at = 0
        for (; at + chunk <= nodes.length; at += chunk) this.insertNodes.run(nodes.slice(at, at + chunk))
        for (; at < nodes.length; at += NODE_RESULT_VALUES)
          this.insertNode.run(nodes.slice(at, at + NODE_RESULT_VALUES))
        for (let row = 0; row < items.length; row += ITEM_VALUES)
          this.insertItem.run(items.slice(row, row + ITEM_VALUES))
        for (let row = 0; row < checkpoints.length; row += CHECKPOINT_COLUMNS)
          this.insertCheckpoint.run(checkpoints.slice(row, row + CHECKPOINT_COLUMNS))
        this.db.exec('COMMIT')
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        this.failure = new DataflowError(
          'DATAFLOW_INTERNAL',
          `cannot write the run journal ${this.path}: ${(error as Error).message}`,
          {
            hint: 'check free disk space and that no other process uses the run directory; then resume the run',
            cause: error,
          },
        )
        this.failureListener?.(this.failure)
      }
    }
    // After a failure the run is being aborted: listeners still run so that waiting items end (as interrupted).
    for (let index = 0; index < listeners.length; index++) listeners[index]!.committed(listenerArgs[index]!)
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    const wait = MIN_COMMIT_INTERVAL_MS - (performance.now() - this.lastFlushAt)
    if (wait <= 0) setImmediate(this.flushNow)
    else setTimeout(this.flushNow, wait)
  }
}
