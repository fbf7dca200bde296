import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DataflowError } from '@dataflow/sdk'
import { JOURNAL_SCHEMA, JOURNAL_VERSION, WAL_AUTOCHECKPOINT_PAGES } from './journal-schema.js'

/** A commit costs a WAL write whatever it holds; results arriving within this window share one. */
const MIN_COMMIT_INTERVAL_MS = 2
const NODE_COLUMNS = 10
const ITEM_COLUMNS = 10
/** Node results per multi-row INSERT: one native call instead of 32 (about a quarter less time per row). */
const ROWS_PER_INSERT = 32

type Statement = Database.Statement<unknown[], unknown>

/** What a run directory was started with; a resume must match it. */
export interface JournalMeta {
  version: number
  /** Pipeline `name:`. */
  pipeline: string
  /** Absolute path of the pipeline file the run was started from (rerun loads it again). */
  pipelineFile: string
  /** `--set` overrides of the first run. */
  set: string[]
  /** Hash of the input: source plugin and config, the source's own fingerprint, limit and shard. */
  input: string
  /** What the input hash covers, for messages. */
  inputParts: Record<string, unknown>
  /** Node fingerprint hashes of the latest session, by node id: what a resume compares against. */
  nodes: Record<string, string>
  createdAt: string
}

/** How a node that ran ended, as journaled. Skipped nodes are not journaled (their `when` is cheap to evaluate again). */
export type JournalNodeStatus = 'done' | 'rejected' | 'failed'

/** One journaled node result, JSON columns still as text. */
export interface NodeResultRow {
  node: number
  fp: number
  status: JournalNodeStatus
  output: string | null
  /** The error (failed) or the rejection `{ reason, details }` (rejected). */
  error: string | null
  attempts: number
  started_at: number
  ms: number
  metrics: string | null
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
  error_code: string | null
  failures: string | null
  finished_at: number | null
}

/** Told when a queued write it waits for is committed. */
export interface CommitListener {
  committed(arg: number): void
}

/**
 * The SQLite run journal (`journal.sqlite` in the run directory), WAL mode, synchronous=NORMAL: a
 * committed transaction survives the process being killed. Writes are queued and committed
 * together once per event-loop turn (group commit); a writer that must not go on before its row
 * is durable passes a listener, called right after the commit.
 */
export class RunJournal {
  private readonly db: Database.Database
  private readonly insertNode: Statement
  private readonly insertItem: Statement
  private readonly insertCheckpoint: Statement
  private readonly selectItem: Statement
  private readonly selectResults: Statement
  private readonly insertNodes: Statement
  /** Queued rows as flat value lists (no object per row): NODE_COLUMNS values per node result, ITEM_COLUMNS per item. */
  private nodeValues: unknown[] = []
  private itemValues: unknown[] = []
  private checkpointValues: unknown[] = []
  private listeners: CommitListener[] = []
  private listenerArgs: number[] = []
  private scheduled = false
  private lastFlushAt = 0
  private failure: DataflowError | undefined
  private failureListener: ((error: DataflowError) => void) | undefined
  private ord: number
  private readonly flushNow = () => {
    this.scheduled = false
    this.flush()
  }

  private constructor(
    readonly path: string,
    readonly: boolean,
  ) {
    try {
      this.db = new Database(path, { readonly, fileMustExist: readonly })
      if (!readonly) {
        this.db.pragma('journal_mode = WAL')
        this.db.pragma('synchronous = NORMAL')
        this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
        this.db.pragma(`journal_size_limit = ${WAL_AUTOCHECKPOINT_PAGES * 4096}`)
        this.db.exec(JOURNAL_SCHEMA)
      }
      this.db.pragma('busy_timeout = 5000')
    } catch (error) {
      const message = (error as Error).message
      const hint = /bindings/i.test(message)
        ? "better-sqlite3's native module is not built (installed with --ignore-scripts?): run `npm rebuild better-sqlite3`, or run with --no-journal"
        : 'the run directory must be writable and hold a journal of this dataflow version'
      throw new DataflowError(
        'DATAFLOW_CONFIG_INVALID',
        `cannot open the run journal ${path}: ${message.split('\n')[0]}`,
        { hint, cause: error },
      )
    }
    const nodeInsert =
      'INSERT OR REPLACE INTO node_results (seq, node, fp, status, output, error, attempts, started_at, ms, metrics) VALUES '
    const nodeRow = `(${new Array(NODE_COLUMNS).fill('?').join(',')})`
    this.insertNode = this.db.prepare(nodeInsert + nodeRow)
    this.insertNodes = this.db.prepare(nodeInsert + new Array(ROWS_PER_INSERT).fill(nodeRow).join(','))
    this.insertItem = this.db.prepare(
      'INSERT OR REPLACE INTO items (seq, id, outcome, ord, item, rejection, error, error_code, failures, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?)',
    )
    this.insertCheckpoint = this.db.prepare(
      'INSERT OR REPLACE INTO checkpoints (sink, fp, ord, value) VALUES (?,?,?,?)',
    )
    this.selectItem = this.db.prepare('SELECT id, outcome FROM items WHERE seq = ?')
    this.selectResults = this.db.prepare(
      'SELECT node, fp, status, output, error, attempts, started_at, ms, metrics FROM node_results WHERE seq = ?',
    )
    this.ord = ((this.db.prepare('SELECT max(ord) AS ord FROM items').get() as { ord: number | null }).ord ?? 0) + 1
  }

  /** Where the journal of a run directory lives. */
  static pathIn(runDir: string): string {
    return join(runDir, 'journal.sqlite')
  }

  /** Opens (creating it and its tables when missing) the journal at `path`. */
  static open(path: string): RunJournal {
    return new RunJournal(path, false)
  }

  /** Opens an existing journal for reading only (inspect, while a run may still write it). */
  static openReadOnly(path: string): RunJournal {
    return new RunJournal(path, true)
  }

  /** The underlying database, for the journal's query helpers. */
  get database(): Database.Database {
    return this.db
  }

  readMeta(): JournalMeta | undefined {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>
    if (rows.length === 0) return undefined
    const meta = Object.fromEntries(
      rows.map((row) => [row.key, JSON.parse(row.value) as unknown]),
    ) as unknown as JournalMeta
    if (meta.version !== JOURNAL_VERSION) {
      throw new DataflowError(
        'DATAFLOW_RESUME_MISMATCH',
        `the run journal ${this.path} has format version ${String(meta.version)}; this dataflow reads version ${JOURNAL_VERSION}`,
        {
          hint: 'resume it with the dataflow version that started it, or start a new run directory',
        },
      )
    }
    return meta
  }

  writeMeta(meta: JournalMeta): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)')
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(meta)) insert.run(key, JSON.stringify(value))
    })()
  }

  /** The journal's integer id of a node, adding it when new. */
  nodeId(name: string): number {
    this.db.prepare('INSERT OR IGNORE INTO nodes (name) VALUES (?)').run(name)
    return (this.db.prepare('SELECT id FROM nodes WHERE name = ?').get(name) as { id: number }).id
  }

  /** The journal's integer id of a node fingerprint, adding it when new. */
  fingerprintId(node: number, hash: string, parts: unknown): number {
    this.db
      .prepare('INSERT OR IGNORE INTO fingerprints (node, hash, parts) VALUES (?, ?, ?)')
      .run(node, hash, JSON.stringify(parts))
    return (
      this.db.prepare('SELECT id FROM fingerprints WHERE node = ? AND hash = ?').get(node, hash) as { id: number }
    ).id
  }

  /** The commit order of the latest outcome taken (0: none yet). */
  get lastOrd(): number {
    return this.ord - 1
  }

  /** The next position in the order outcomes are committed (and written to sinks). */
  takeOrd(): number {
    return this.ord++
  }

  /** Called once if a commit fails: the run cannot keep its promises and must stop. */
  onFailure(listener: (error: DataflowError) => void): void {
    this.failureListener = listener
  }

  /** Queues a node result; `listener.committed(arg)` runs once it is durable. */
  queueNodeResult(
    seq: number,
    node: number,
    fp: number,
    status: JournalNodeStatus,
    output: string | null,
    error: string | null,
    attempts: number,
    startedAt: number,
    ms: number,
    metrics: string | null,
    listener?: CommitListener,
    arg = 0,
  ): void {
    this.nodeValues.push(seq, node, fp, status, output, error, attempts, startedAt, ms, metrics)
    if (listener) {
      this.listeners.push(listener)
      this.listenerArgs.push(arg)
    }
    this.schedule()
  }

  /** Queues an item row; a later row for the same item in the same batch wins. */
  queueItem(row: ItemRow): void {
    this.itemValues.push(
      row.seq,
      row.id,
      row.outcome,
      row.ord,
      row.item,
      row.rejection,
      row.error,
      row.error_code,
      row.failures,
      row.finished_at,
    )
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
        const chunk = NODE_COLUMNS * ROWS_PER_INSERT
        let at = 0
        for (; at + chunk <= nodes.length; at += chunk) this.insertNodes.run(nodes.slice(at, at + chunk))
        for (; at < nodes.length; at += NODE_COLUMNS) this.insertNode.run(nodes.slice(at, at + NODE_COLUMNS))
        for (let row = 0; row < items.length; row += ITEM_COLUMNS)
          this.insertItem.run(items.slice(row, row + ITEM_COLUMNS))
        for (let row = 0; row < checkpoints.length; row += 4) this.insertCheckpoint.run(checkpoints.slice(row, row + 4))
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

  /** The journaled state of the item at input position `seq`, if any. */
  itemState(seq: number): { id: string; outcome: ItemRow['outcome'] } | undefined {
    return this.selectItem.get(seq) as { id: string; outcome: ItemRow['outcome'] } | undefined
  }

  /** Every journaled node result of the item at `seq`. */
  nodeResults(seq: number): NodeResultRow[] {
    return this.selectResults.all(seq) as NodeResultRow[]
  }

  /** Highest input position with any journaled row, or -1. */
  maxSeq(): number {
    const items = (this.db.prepare('SELECT max(seq) AS seq FROM items').get() as { seq: number | null }).seq ?? -1
    const results =
      (this.db.prepare('SELECT max(seq) AS seq FROM node_results').get() as { seq: number | null }).seq ?? -1
    return Math.max(items, results)
  }

  /** Flushes what is queued and closes the database (checkpointing the WAL into the main file). */
  close(): void {
    if (!this.db.open) return
    if (!this.db.readonly) this.flush()
    this.db.close()
  }

  /**
   * Commits at the next turn of the event loop, but not sooner than MIN_COMMIT_INTERVAL_MS after
   * the previous commit: under load, results that finish close together share one transaction.
   */
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    const wait = MIN_COMMIT_INTERVAL_MS - (performance.now() - this.lastFlushAt)
    if (wait <= 0) setImmediate(this.flushNow)
    else setTimeout(this.flushNow, wait)
  }
}
