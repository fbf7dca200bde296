import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DataflowError } from '@dataflow/sdk'
import { JOURNAL_SCHEMA, JOURNAL_VERSION, NODE_SLOTS } from './journal-schema.js'

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
  private pendingStatements: Statement[] = []
  private pendingArgs: unknown[][] = []
  private listeners: CommitListener[] = []
  private listenerArgs: number[] = []
  private scheduled = false
  private failure: DataflowError | undefined
  private failureListener: ((error: DataflowError) => void) | undefined
  private ord: number
  private readonly flushNow = () => {
    this.scheduled = false
    this.flush()
  }

  private constructor(readonly path: string, readonly: boolean) {
    try {
      this.db = new Database(path, { readonly, fileMustExist: readonly })
      if (!readonly) {
        this.db.pragma('journal_mode = WAL')
        this.db.pragma('synchronous = NORMAL')
        this.db.exec(JOURNAL_SCHEMA)
      }
      this.db.pragma('busy_timeout = 5000')
    } catch (error) {
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `cannot open the run journal ${path}: ${(error as Error).message}`, { cause: error })
    }
    this.insertNode = this.db.prepare(
      'INSERT OR REPLACE INTO node_results (key, seq, node, fp, status, output, error, attempts, started_at, ms, metrics) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
    )
    this.insertItem = this.db.prepare(
      'INSERT OR REPLACE INTO items (seq, id, outcome, ord, item, rejection, error, error_code, failures, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?)',
    )
    this.insertCheckpoint = this.db.prepare('INSERT OR REPLACE INTO checkpoints (sink, fp, ord, value) VALUES (?,?,?,?)')
    this.selectItem = this.db.prepare('SELECT id, outcome FROM items WHERE seq = ?')
    this.selectResults = this.db.prepare(
      'SELECT node, fp, status, output, error, attempts, started_at, ms, metrics FROM node_results WHERE key >= ? AND key < ?',
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
    const meta = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown])) as unknown as JournalMeta
    if (meta.version !== JOURNAL_VERSION) {
      throw new DataflowError('DATAFLOW_RESUME_MISMATCH', `the run journal ${this.path} has format version ${String(meta.version)}; this dataflow reads version ${JOURNAL_VERSION}`, {
        hint: 'resume it with the dataflow version that started it, or start a new run directory',
      })
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
    this.db.prepare('INSERT OR IGNORE INTO fingerprints (node, hash, parts) VALUES (?, ?, ?)').run(node, hash, JSON.stringify(parts))
    return (this.db.prepare('SELECT id FROM fingerprints WHERE node = ? AND hash = ?').get(node, hash) as { id: number }).id
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
    seq: number, node: number, fp: number, status: JournalNodeStatus, output: string | null, error: string | null,
    attempts: number, startedAt: number, ms: number, metrics: string | null, listener?: CommitListener, arg = 0,
  ): void {
    this.queue(this.insertNode, [seq * NODE_SLOTS + node, seq, node, fp, status, output, error, attempts, startedAt, ms, metrics])
    if (listener) {
      this.listeners.push(listener)
      this.listenerArgs.push(arg)
    }
  }

  queueItem(row: ItemRow): void {
    this.queue(this.insertItem, [row.seq, row.id, row.outcome, row.ord, row.item, row.rejection, row.error, row.error_code, row.failures, row.finished_at])
  }

  queueCheckpoint(sink: string, fingerprint: string, ord: number, value: string | null): void {
    this.queue(this.insertCheckpoint, [sink, fingerprint, ord, value])
  }

  /** Commits everything queued in one transaction, then tells the listeners. Synchronous. */
  flush(): void {
    if (this.pendingArgs.length === 0 && this.listeners.length === 0) return
    const statements = this.pendingStatements
    const args = this.pendingArgs
    const listeners = this.listeners
    const listenerArgs = this.listenerArgs
    this.pendingStatements = []
    this.pendingArgs = []
    this.listeners = []
    this.listenerArgs = []
    if (this.failure === undefined) {
      try {
        this.db.exec('BEGIN')
        for (let index = 0; index < args.length; index++) statements[index]!.run(...args[index]!)
        this.db.exec('COMMIT')
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK')
        this.failure = new DataflowError('DATAFLOW_INTERNAL', `cannot write the run journal ${this.path}: ${(error as Error).message}`, {
          hint: 'check free disk space and that no other process uses the run directory; then resume the run',
          cause: error,
        })
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
    return this.selectResults.all(seq * NODE_SLOTS, (seq + 1) * NODE_SLOTS) as NodeResultRow[]
  }

  /** Highest input position with any journaled row, or -1. */
  maxSeq(): number {
    const items = (this.db.prepare('SELECT max(seq) AS seq FROM items').get() as { seq: number | null }).seq ?? -1
    const results = (this.db.prepare('SELECT max(key) AS key FROM node_results').get() as { key: number | null }).key
    return Math.max(items, results === null ? -1 : Math.floor(results / NODE_SLOTS))
  }

  /** Flushes what is queued and closes the database (checkpointing the WAL into the main file). */
  close(): void {
    if (!this.db.open) return
    if (!this.db.readonly) this.flush()
    this.db.close()
  }

  private queue(statement: Statement, args: unknown[]): void {
    this.pendingStatements.push(statement)
    this.pendingArgs.push(args)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flushNow)
    }
  }
}
