import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { isDataflowError } from '@dataflow/sdk'
import type { CachedAnswer } from './request-cache.js'
import { createSqliteRequestCache, type SqliteRequestCache } from './sqlite-request-cache.js'

const folders: string[] = []
const caches: SqliteRequestCache[] = []
afterEach(() => {
  for (const cache of caches.splice(0)) cache.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function tempPath(...parts: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'dataflow-cache-'))
  folders.push(folder)
  return join(folder, ...parts)
}

function open(path: string, mode?: 'read-write' | 'read-only' | 'refresh'): SqliteRequestCache {
  const cache = createSqliteRequestCache(mode === undefined ? { path } : { path, mode })
  caches.push(cache)
  return cache
}

const answer = (text: string, promptTokens = 100, completionTokens = 20): CachedAnswer => ({
  text,
  finishReason: 'stop',
  usage: { promptTokens, completionTokens },
  servedModel: 'Qwen/VL',
})

function thrown(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

describe('createSqliteRequestCache', () => {
  it('read-write: creates the folder, misses, stores, hits, and keeps answers across processes and reopenings', async () => {
    const path = tempPath('nested', 'deeper', 'requests.sqlite')
    const cache = open(path)
    expect(existsSync(path)).toBe(true)
    expect(await cache.get('k1')).toBeUndefined()
    await cache.set('k1', answer('a cat', 120, 9))
    expect(await cache.get('k1')).toEqual(answer('a cat', 120, 9))
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, writes: 1, savedPromptTokens: 120, savedCompletionTokens: 9 })
    cache.close()
    const again = open(path)
    expect(await again.get('k1')).toEqual(answer('a cat', 120, 9))
    expect(again.stats()).toMatchObject({ hits: 1, misses: 0, writes: 0 })
    const db = new Database(path, { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('commits the writes of one event-loop turn together and answers a key while its write is pending', async () => {
    const path = tempPath('requests.sqlite')
    const cache = open(path)
    const writes = Array.from({ length: 50 }, (_, index) => cache.set(`k${index}`, answer(`answer ${index}`)))
    expect((await cache.get('k7'))?.text).toBe('answer 7')
    await Promise.all(writes)
    expect(cache.stats().writes).toBe(50)
    const db = new Database(path, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM answers').get()).toEqual({ n: 50 })
    db.close()
  })

  it('close() writes pending answers; later use throws', async () => {
    const path = tempPath('requests.sqlite')
    const cache = open(path)
    const pending = cache.set('k', answer('late'))
    cache.close()
    await pending
    cache.close()
    await expect(cache.get('k')).rejects.toThrow(/is closed/)
    expect((await open(path).get('k'))?.text).toBe('late')
  })

  it('read-only: answers from an existing cache and never writes', async () => {
    const path = tempPath('requests.sqlite')
    const writer = open(path)
    await writer.set('k1', answer('kept'))
    writer.close()
    const before = statSync(path).mtimeMs
    const reader = open(path, 'read-only')
    expect((await reader.get('k1'))?.text).toBe('kept')
    expect(await reader.get('k2')).toBeUndefined()
    await reader.set('k2', answer('dropped'))
    expect(await reader.get('k2')).toBeUndefined()
    expect(reader.stats()).toEqual({ hits: 1, misses: 2, writes: 0, savedPromptTokens: 100, savedCompletionTokens: 20 })
    reader.close()
    expect(statSync(path).mtimeMs).toBe(before)
    expect(await open(path).get('k2')).toBeUndefined()
  })

  it('read-only on a missing file: DATAFLOW_INPUT_NOT_FOUND, and nothing is created', () => {
    const path = tempPath('absent', 'requests.sqlite')
    const error = thrown(() => createSqliteRequestCache({ path, mode: 'read-only' }))
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_INPUT_NOT_FOUND')
    expect((error as Error).message).toContain(path)
    expect(existsSync(join(path, '..'))).toBe(false)
  })

  it('refresh: never answers from the cache and overwrites it', async () => {
    const path = tempPath('requests.sqlite')
    const first = open(path)
    await first.set('k', answer('old'))
    first.close()
    const refresh = open(path, 'refresh')
    expect(await refresh.get('k')).toBeUndefined()
    await refresh.set('k', answer('new'))
    expect(await refresh.get('k')).toBeUndefined()
    expect(refresh.stats()).toMatchObject({ hits: 0, misses: 2, writes: 1 })
    refresh.close()
    expect((await open(path).get('k'))?.text).toBe('new')
  })

  it('a file that is not a cache gives one clear error that says to delete it', () => {
    const path = tempPath('requests.sqlite')
    writeFileSync(path, 'this is not a database, just some text that happens to sit here '.repeat(100))
    const error = thrown(() => createSqliteRequestCache({ path }))
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_INPUT_INVALID')
    expect((error as Error).message).toMatch(/requests\.sqlite cannot be used: file is not a database/)
    expect(isDataflowError(error) && error.hint).toMatch(/Delete the file/)
    expect(readFileSync(path, 'utf8')).toMatch(/^this is not a database/)
  })

  it('several processes write and read one file at once without losing or corrupting anything', async () => {
    const path = tempPath('shared', 'requests.sqlite')
    const worker = fileURLToPath(new URL('../test-support/cache-worker.ts', import.meta.url))
    const count = 400
    const run = promisify(execFile)
    const outputs = await Promise.all(
      ['p1', 'p2', 'p3'].map((name) =>
        run(process.execPath, ['--import', 'tsx', worker, path, name, String(count)], {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
        }),
      ),
    )
    for (const { stdout } of outputs) {
      const stats = JSON.parse(stdout) as { writes: number; hits: number }
      expect(stats.writes).toBe(2 * count)
      expect(stats.hits).toBeGreaterThanOrEqual(count)
    }
    const db = new Database(path, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const rows = db.prepare<[], { key: string; text: string }>('SELECT key, text FROM answers').all()
    db.close()
    expect(rows).toHaveLength(3 * count + count)
    const byKey = new Map(rows.map((row) => [row.key, row.text]))
    for (const name of ['p1', 'p2', 'p3']) {
      for (let index = 0; index < count; index++) expect(byKey.get(`${name}-${index}`)).toBe(`${name} ${index}`)
    }
    expect(byKey.get(`shared-${count - 1}`)).toBe(`shared ${count - 1}`)
    // Three node+tsx processes take several seconds to start on a loaded 2-core machine.
  }, 60_000)
})
