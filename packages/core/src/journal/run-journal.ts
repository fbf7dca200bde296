import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DataflowError } from '@dataflow/sdk'
import type { CommitListener, KeptOutcomes } from '../runtime/run-store.js'
import { JOURNAL_SCHEMA, JOURNAL_VERSION, WAL_AUTOCHECKPOINT_PAGES } from './journal-schema.js'
import type { CheckpointRow, ItemRow, JournalMeta, NodeResultRow } from './journal-rows.js'
import {
  ITEM_COLUMNS,
  NODE_RESULT_COLUMNS,
  toItemRow,
  toNodeResultRow,
  type StoredItemRow,
  type StoredNodeResultRow,
} from './journal-storage.js'
import { JournalCodec } from './journal-codec.js'
import { JournalWriter } from './journal-writer.js'

type Statement = Database.Statement<unknown[], unknown>

const FINISHED = "outcome IN ('ok', 'rejected', 'error')"

/**
 * The SQLite run journal (`journal.sqlite` in the run directory), WAL mode, synchronous=NORMAL: a
 * committed transaction survives the process being killed. Writes are queued and committed
 * together once per event-loop turn (see {@link JournalWriter}); reads are methods over prepared
 * statements, so nothing outside this class writes SQL against the run's tables except the
 * read-only `inspect` queries.
 */
export class RunJournal {
  private readonly db: Database.Database
  private readonly writer: JournalWriter | undefined
  private readonly selectItem: Statement
  private readonly selectResults: Statement
  private readonly selectFinishedPage: Statement
  private ord: number
  /** Rows of `model_sets` by names (JSON) and by id: a handful per run. */
  private readonly modelSetIds = new Map<string, number>()
  private readonly modelSetNames = new Map<number, string[]>()
  private readonly modelNames = (id: number): string[] => this.modelSetName(id)
  private readonly codec: JournalCodec

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
    const db = this.db
    this.codec = new JournalCodec({
      add: (field, bytes) =>
        Number(db.prepare('INSERT INTO dictionaries (field, bytes) VALUES (?, ?)').run(field, bytes).lastInsertRowid),
      get: (id) => (db.prepare('SELECT bytes FROM dictionaries WHERE id = ?').get(id) as { bytes: Buffer }).bytes,
      all: () =>
        db.prepare('SELECT id, field FROM dictionaries ORDER BY id').all() as Array<{ id: number; field: number }>,
    })
    this.writer = readonly ? undefined : new JournalWriter(this.db, path, (names) => this.modelSetId(names), this.codec)
    this.selectItem = this.db.prepare('SELECT id, outcome FROM items WHERE seq = ?')
    this.selectResults = this.db.prepare(`SELECT ${NODE_RESULT_COLUMNS} FROM node_results WHERE seq = ?`)
    this.selectFinishedPage = this.db.prepare(
      `SELECT ${ITEM_COLUMNS} FROM items WHERE ord > ? AND ${FINISHED} ORDER BY ord LIMIT ?`,
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

  /** The underlying database, for the journal's read-only reports (inspect-run.ts) only. */
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

  /** What a recorded fingerprint of a node was computed from (undefined: unknown hash). */
  fingerprintParts(node: number, hash: string): Record<string, unknown> | undefined {
    const row = this.db.prepare('SELECT parts FROM fingerprints WHERE node = ? AND hash = ?').get(node, hash) as
      { parts: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.parts) as Record<string, unknown>)
  }

  /** The row of `model_sets` for these served model names, adding it when new. */
  private modelSetId(names: readonly string[]): number {
    const key = JSON.stringify(names)
    let id = this.modelSetIds.get(key)
    if (id === undefined) {
      this.db.prepare('INSERT OR IGNORE INTO model_sets (names) VALUES (?)').run(key)
      id = (this.db.prepare('SELECT id FROM model_sets WHERE names = ?').get(key) as { id: number }).id
      this.modelSetIds.set(key, id)
    }
    return id
  }

  private modelSetName(id: number): string[] {
    let names = this.modelSetNames.get(id)
    if (names === undefined) {
      const row = this.db.prepare('SELECT names FROM model_sets WHERE id = ?').get(id) as { names: string } | undefined
      names = row === undefined ? [] : (JSON.parse(row.names) as string[])
      this.modelSetNames.set(id, names)
    }
    // A copy: the caller's record may be changed by a sink.
    return [...names]
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
    this.writable().onFailure(listener)
  }

  /** Queues a node result; `listener.committed(index)` runs once it is durable. */
  queueNodeResult(row: NodeResultRow, listener?: CommitListener, index = 0): void {
    this.writable().queueNodeResult(row, listener, index)
  }

  /** Queues an item row; a later row for the same item in the same batch wins. */
  queueItem(row: ItemRow): void {
    this.writable().queueItem(row)
  }

  queueCheckpoint(sink: string, fingerprint: string, ord: number, value: string | null): void {
    this.writable().queueCheckpoint(sink, fingerprint, ord, value)
  }

  /** Commits everything queued now (synchronous), then tells the waiting listeners. */
  flush(): void {
    this.writer?.flush()
  }

  /** The journaled state of the item at input position `seq`, if any. */
  itemState(seq: number): { id: string; outcome: ItemRow['outcome'] } | undefined {
    return this.selectItem.get(seq) as { id: string; outcome: ItemRow['outcome'] } | undefined
  }

  /** Every journaled node result of the item at `seq`. */
  nodeResults(seq: number): NodeResultRow[] {
    return (this.selectResults.all(seq) as StoredNodeResultRow[]).map((row) =>
      toNodeResultRow(row, this.modelNames, this.codec),
    )
  }

  /** Up to `limit` finished items committed after commit order `ord`, in commit order (a page of a replay). */
  finishedAfter(ord: number, limit: number): ItemRow[] {
    return (this.selectFinishedPage.all(ord, limit) as StoredItemRow[]).map((row) => toItemRow(row, this.codec))
  }

  /** Every finished item in input order, read lazily. */
  *finishedItems(): Generator<ItemRow> {
    const rows = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE ${FINISHED} ORDER BY seq`).iterate()
    for (const row of rows as Iterable<StoredItemRow>) yield toItemRow(row, this.codec)
  }

  /** The item with this id (the first in input order), if any. */
  itemById(id: string): ItemRow | undefined {
    const row = this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ? ORDER BY seq LIMIT 1`).get(id) as
      StoredItemRow | undefined
    return row === undefined ? undefined : toItemRow(row, this.codec)
  }

  /** Highest input position with any journaled row, or -1. */
  maxSeq(): number {
    const items = (this.db.prepare('SELECT max(seq) AS seq FROM items').get() as { seq: number | null }).seq ?? -1
    const results =
      (this.db.prepare('SELECT max(seq) AS seq FROM node_results').get() as { seq: number | null }).seq ?? -1
    return Math.max(items, results)
  }

  /** How many node results each (node, fingerprint) pair has. */
  resultCounts(): Array<{ node: number; fp: number; n: number }> {
    return this.db.prepare('SELECT node, fp, count(*) AS n FROM node_results GROUP BY node, fp').all() as Array<{
      node: number
      fp: number
      n: number
    }>
  }

  /**
   * Marks finished items unfinished: every one (`all`), or those holding a result of a node under
   * another fingerprint than its current one (`stale`: pairs of node id and current fingerprint id).
   * Reopened items are in the sinks with their old outcome, so every checkpoint is dropped. Returns
   * how many items were reopened.
   */
  reopenFinished(stale: 'all' | ReadonlyArray<readonly [node: number, fp: number]>): number {
    let reopened = 0
    this.db.transaction(() => {
      if (stale === 'all') {
        reopened = this.db.prepare(`UPDATE items SET outcome = NULL, ord = NULL WHERE ${FINISHED}`).run().changes
      } else {
        const reopen = this.db.prepare(
          `UPDATE items SET outcome = NULL, ord = NULL WHERE ${FINISHED} AND seq IN (SELECT seq FROM node_results WHERE node = ? AND fp != ?)`,
        )
        for (const [node, fp] of stale) reopened += reopen.run(node, fp).changes
      }
      if (reopened > 0) this.db.prepare('DELETE FROM checkpoints').run()
    })()
    return reopened
  }

  /**
   * Opens the items at `seqs` again for a rerun: deletes their results of the nodes `redo` and of
   * every node that failed, and marks them unfinished (dropping every checkpoint, as
   * {@link reopenFinished} does). Returns the results deleted per node id.
   */
  reopenForRerun(seqs: readonly number[], redo: readonly number[]): Map<number, number> {
    const deleteResult = this.db.prepare('DELETE FROM node_results WHERE seq = ? AND node = ?')
    const failed = this.db.prepare("SELECT node FROM node_results WHERE seq = ? AND status = 'failed'")
    const deleteFailed = this.db.prepare("DELETE FROM node_results WHERE seq = ? AND status = 'failed'")
    const reopen = this.db.prepare('UPDATE items SET outcome = NULL, ord = NULL WHERE seq = ?')
    const deleted = new Map<number, number>()
    const count = (node: number) => deleted.set(node, (deleted.get(node) ?? 0) + 1)
    this.db.transaction(() => {
      for (const seq of seqs) {
        for (const node of redo) if (deleteResult.run(seq, node).changes > 0) count(node)
        for (const { node } of failed.all(seq) as Array<{ node: number }>) count(node)
        deleteFailed.run(seq)
        reopen.run(seq)
      }
      if (seqs.length > 0) this.db.prepare('DELETE FROM checkpoints').run()
    })()
    return deleted
  }

  /** Every sink's last committed checkpoint. */
  checkpoints(): CheckpointRow[] {
    return this.db.prepare('SELECT sink, fp, ord, value FROM checkpoints ORDER BY sink').all() as CheckpointRow[]
  }

  /** Finished items by outcome, and the errors among them by code. */
  finishedCounts(): KeptOutcomes {
    const kept: KeptOutcomes = { ok: 0, rejected: 0, error: 0, errorsByCode: {} }
    const byOutcome = this.db
      .prepare(`SELECT outcome, count(*) AS n FROM items WHERE ${FINISHED} GROUP BY outcome`)
      .all() as Array<{ outcome: 'ok' | 'rejected' | 'error'; n: number }>
    for (const row of byOutcome) kept[row.outcome] = row.n
    const byCode = this.db
      .prepare("SELECT error_code AS code, count(*) AS n FROM items WHERE outcome = 'error' GROUP BY error_code")
      .all() as Array<{ code: string | null; n: number }>
    for (const row of byCode) kept.errorsByCode[row.code ?? 'unknown'] = row.n
    return kept
  }

  /** Items started (results journaled, or an unfinished or interrupted outcome) that are not finished. */
  unfinishedCount(): number {
    return (
      this.db
        .prepare(
          "SELECT (SELECT count(*) FROM items WHERE outcome IS NULL OR outcome = 'interrupted') + (SELECT count(DISTINCT r.seq) FROM node_results r WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.seq = r.seq)) AS n",
        )
        .get() as { n: number }
    ).n
  }

  /** Flushes what is queued and closes the database (checkpointing the WAL into the main file). */
  close(): void {
    if (!this.db.open) return
    this.writer?.flush()
    this.db.close()
  }

  private writable(): JournalWriter {
    if (!this.writer) throw new DataflowError('DATAFLOW_INTERNAL', `the run journal ${this.path} is open read-only`)
    return this.writer
  }
}
