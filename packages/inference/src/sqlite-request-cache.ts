import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { DataflowError } from '@dataflow/sdk'
import type { CachedAnswer, RequestCache } from './request-cache.js'

/**
 * How a run uses the request cache (`off` = the caller passes no cache):
 * - `read-write`: answer from the cache when possible, store every new valid answer;
 * - `read-only`: answer from the cache, never write (a shared or frozen cache);
 * - `refresh`: never answer from the cache, overwrite it with the new answers.
 */
export type RequestCacheMode = 'read-write' | 'read-only' | 'refresh'

export interface SqliteRequestCacheOptions {
  /** The SQLite file; its folder is created (except in `read-only` mode, where the file must exist). */
  path: string
  /** Default `read-write`. */
  mode?: RequestCacheMode
  /** How long a statement waits for another process's write lock, in milliseconds. Default 10000. */
  busyTimeoutMs?: number
}

/** What the cache did since it was opened, in this process. */
export interface RequestCacheStats {
  /** Lookups answered from the cache. */
  hits: number
  /** Lookups not answered (always, in `refresh` mode). */
  misses: number
  /** Answers stored. */
  writes: number
  /** Prompt tokens of the answers served from the cache (what they cost when first asked). */
  savedPromptTokens: number
  /** Completion tokens of the answers served from the cache. */
  savedCompletionTokens: number
}

/** A {@link RequestCache} on one SQLite file, with counters and `close()`. */
export interface SqliteRequestCache extends RequestCache {
  readonly path: string
  readonly mode: RequestCacheMode
  stats(): RequestCacheStats
  /** Writes pending answers and closes the file. Idempotent; later calls to `get`/`set` throw. */
  close(): void
}

interface Row {
  text: string
  finish_reason: string
  prompt_tokens: number
  completion_tokens: number
  served_model: string
}

const SCHEMA_VERSION = 1

function cacheError(path: string, cause: unknown): DataflowError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new DataflowError('DATAFLOW_INPUT_INVALID', `the request cache ${path} cannot be used: ${reason}`, {
    hint: 'Delete the file to start an empty cache (it only holds answers that can be asked again), choose another cache path, or turn the cache off.',
    details: { path },
    cause,
  })
}

function checkVersion(db: Database.Database, writable: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version === 0 && writable) db.pragma(`user_version = ${SCHEMA_VERSION}`)
  else if (version !== SCHEMA_VERSION)
    throw new Error(`its format version is ${version}, this dataflow reads version ${SCHEMA_VERSION}`)
}

function prepare(db: Database.Database, mode: RequestCacheMode): void {
  if (mode === 'read-only') {
    checkVersion(db, false)
    return
  }
  // WAL: readers never block the writer and several processes share the file safely (same host).
  db.pragma('journal_mode = WAL')
  // NORMAL under WAL: a crash of the process loses nothing committed; power loss may lose the last writes, never corrupts.
  db.pragma('synchronous = NORMAL')
  db.exec(`CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    served_model TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID`)
  checkVersion(db, true)
}

function open(path: string, mode: RequestCacheMode, busyTimeoutMs: number): Database.Database {
  if (mode === 'read-only' && !existsSync(path)) {
    throw new DataflowError(
      'DATAFLOW_INPUT_NOT_FOUND',
      `the request cache ${path} does not exist, so read-only mode could answer nothing`,
      {
        hint: 'Run once with the cache in read-write mode to fill it, point the cache path at an existing cache, or turn the cache off.',
        details: { path },
      },
    )
  }
  try {
    if (mode !== 'read-only') mkdirSync(dirname(path), { recursive: true })
    const db = new Database(path, {
      readonly: mode === 'read-only',
      fileMustExist: mode === 'read-only',
      timeout: busyTimeoutMs,
    })
    try {
      prepare(db, mode)
    } catch (error) {
      db.close()
      throw error
    }
    return db
  } catch (error) {
    throw cacheError(path, error)
  }
}

/**
 * The content-addressed request cache on SQLite, shared across runs, pipelines and processes:
 * WAL journal, a busy timeout for concurrent writers, answers keyed by {@link requestCacheKey}.
 * Writes of one event-loop turn are committed together in one transaction; `set` resolves once
 * its answer is committed. Throws `DATAFLOW_INPUT_INVALID` when the file is not a usable cache
 * and `DATAFLOW_INPUT_NOT_FOUND` for a missing file in `read-only` mode.
 */
export function createSqliteRequestCache(options: SqliteRequestCacheOptions): SqliteRequestCache {
  const { path } = options
  const mode = options.mode ?? 'read-write'
  const db = open(path, mode, options.busyTimeoutMs ?? 10_000)
  const select = db.prepare<[string], Row>(
    'SELECT text, finish_reason, prompt_tokens, completion_tokens, served_model FROM answers WHERE key = ?',
  )
  const insert =
    mode === 'read-only'
      ? undefined
      : db.prepare(
          'INSERT OR REPLACE INTO answers (key, text, finish_reason, prompt_tokens, completion_tokens, served_model, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
  const insertAll = db.transaction((batch: Map<string, CachedAnswer>) => {
    const now = Date.now()
    for (const [key, answer] of batch) {
      insert!.run(
        key,
        answer.text,
        answer.finishReason,
        answer.usage.promptTokens,
        answer.usage.completionTokens,
        answer.servedModel,
        now,
      )
    }
  })

  const counts: RequestCacheStats = { hits: 0, misses: 0, writes: 0, savedPromptTokens: 0, savedCompletionTokens: 0 }
  let pending = new Map<string, CachedAnswer>()
  let waiters: { resolve(): void; reject(error: unknown): void }[] = []
  let scheduled: NodeJS.Immediate | undefined
  let closed = false

  const flush = () => {
    scheduled = undefined
    const batch = pending
    const settled = waiters
    pending = new Map()
    waiters = []
    if (batch.size === 0) return
    try {
      insertAll(batch)
      counts.writes += batch.size
      for (const waiter of settled) waiter.resolve()
    } catch (error) {
      for (const waiter of settled) waiter.reject(cacheError(path, error))
    }
  }

  const ensureOpen = () => {
    if (closed) throw new DataflowError('DATAFLOW_INTERNAL', `the request cache ${path} is closed`)
  }

  const hit = (answer: CachedAnswer): CachedAnswer => {
    counts.hits++
    counts.savedPromptTokens += answer.usage.promptTokens
    counts.savedCompletionTokens += answer.usage.completionTokens
    return answer
  }

  return {
    path,
    mode,
    async get(key) {
      ensureOpen()
      if (mode === 'refresh') {
        counts.misses++
        return undefined
      }
      const waiting = pending.get(key)
      if (waiting) return hit(waiting)
      const row = select.get(key)
      if (!row) {
        counts.misses++
        return undefined
      }
      return hit({
        text: row.text,
        finishReason: row.finish_reason,
        usage: { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens },
        servedModel: row.served_model,
      })
    },
    set(key, answer) {
      ensureOpen()
      if (mode === 'read-only') return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        pending.set(key, answer)
        waiters.push({ resolve, reject })
        scheduled ??= setImmediate(flush)
      })
    },
    stats: () => ({ ...counts }),
    close() {
      if (closed) return
      if (scheduled) clearImmediate(scheduled)
      flush()
      closed = true
      db.close()
    },
  }
}
