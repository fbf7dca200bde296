import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDataflowError, type IoContext } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileWriter } from '@dataflow/sdk'
import definition from './index.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-jsonl-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): IoContext {
  return createIoContext(dir)
}

const readLines = async (path: string) => (await readFile(path, 'utf8')).split('\n')

describe('sink-jsonl', () => {
  it('writes one JSON line per record into the run directory, creating folders', async () => {
    const sink = await definition.create(configFor(definition, { path: 'out/kept.jsonl' }), createContext())
    await sink.write({ id: 'a', caption: 'line\nbreak "quoted"', n: 1 })
    await sink.write({ id: 'ü 日本', nested: { ok: true } })
    await sink.close()
    const lines = await readLines(join(dir, 'run/out/kept.jsonl'))
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(JSON.parse(lines[0]!)).toEqual({ id: 'a', caption: 'line\nbreak "quoted"', n: 1 })
    expect(JSON.parse(lines[1]!)).toEqual({ id: 'ü 日本', nested: { ok: true } })
  })

  it('truncates by default and appends with append: true', async () => {
    const path = join(dir, 'run/x.jsonl')
    await mkdir(join(dir, 'run'), { recursive: true })
    await writeFile(path, '{"old":1}\n')
    const truncating = await definition.create(configFor(definition, { path: 'x.jsonl' }), createContext())
    await truncating.write({ id: 1 })
    await truncating.close()
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n')
    const appending = await definition.create(configFor(definition, { path: 'x.jsonl', append: true }), createContext())
    await appending.write({ id: 2 })
    await appending.close()
    expect(await readFile(path, 'utf8')).toBe('{"id":1}\n{"id":2}\n')
  })

  it('makes everything written so far visible and durable on flush, before close', async () => {
    const sink = await definition.create(configFor(definition, { path: 'f.jsonl' }), createContext())
    for (let i = 0; i < 1000; i++) await sink.write({ id: i, text: 'y'.repeat(100) })
    await sink.flush?.()
    const lines = await readLines(join(dir, 'run/f.jsonl'))
    expect(lines).toHaveLength(1001)
    expect(JSON.parse(lines[999]!)).toMatchObject({ id: 999 })
    await sink.close()
    await sink.close()
  })

  it('accepts absolute output paths as they are', async () => {
    const path = join(dir, 'elsewhere', 'abs.jsonl')
    const sink = await definition.create(configFor(definition, { path }), createContext())
    await sink.write({ id: 'a' })
    await sink.close()
    expect(await readFile(path, 'utf8')).toBe('{"id":"a"}\n')
  })

  it('fails at create with DATAFLOW_CONFIG_INVALID when the path is a folder', async () => {
    await mkdir(join(dir, 'run', 'folder'), { recursive: true })
    const error = await Promise.resolve(
      definition.create(configFor(definition, { path: 'folder' }), createContext()),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect((error as Error).message).toContain(join(dir, 'run', 'folder'))
  })
})

describe('createFileWriter', () => {
  it('applies backpressure: after each awaited write the in-memory buffer is under the high-water mark', async () => {
    const highWaterMark = 16 * 1024
    const writer = await createFileWriter(join(dir, 'bp.txt'), { highWaterMark })
    const chunk = 'z'.repeat(10_000) + '\n'
    let waited = 0
    for (let i = 0; i < 300; i++) {
      const before = writer.bufferedBytes
      await writer.write(chunk)
      // Without waiting for 'drain' the buffer would grow to 3 MB here.
      expect(writer.bufferedBytes).toBeLessThan(highWaterMark)
      if (before + chunk.length >= highWaterMark) waited++
    }
    expect(waited).toBeGreaterThan(0)
    await writer.close()
    expect((await readFile(join(dir, 'bp.txt'), 'utf8')).length).toBe(300 * chunk.length)
  })

  it('refuses writes after close', async () => {
    const writer = await createFileWriter(join(dir, 'c.txt'))
    await writer.close()
    await expect(writer.write('x')).rejects.toThrow(/after the sink was closed/)
  })
})

describe('sink-jsonl checkpoints', () => {
  it('reports byte offsets and, resumed from one, cuts the file back to it and appends', async () => {
    const path = join(dir, 'run', 'out.jsonl')
    const sink = await definition.create(configFor(definition, { path: 'out.jsonl' }), createContext())
    await sink.write({ id: 'a' })
    const first = await sink.checkpoint!()
    expect(first).toEqual({ file: 0, bytes: '{"id":"a"}\n'.length, records: 1, total: 1 })
    await sink.write({ id: 'b', text: 'ü' })
    const second = await sink.checkpoint!()
    expect(second).toEqual({
      file: 0,
      bytes: Buffer.byteLength('{"id":"a"}\n{"id":"b","text":"ü"}\n'),
      records: 2,
      total: 2,
    })
    await sink.write({ id: 'torn' })
    await sink.close()
    await writeFile(path, (await readFile(path, 'utf8')) + '{"id":"half')

    const resumed = await definition.create(configFor(definition, { path: 'out.jsonl' }), {
      ...createContext(),
      resumeFrom: second,
    })
    await resumed.write({ id: 'c' })
    await resumed.close()
    expect(await readFile(path, 'utf8')).toBe('{"id":"a"}\n{"id":"b","text":"ü"}\n{"id":"c"}\n')
  })

  it('refuses to resume a file shorter than its checkpoint', async () => {
    const error = await Promise.resolve(
      definition.create(configFor(definition, { path: 'missing.jsonl' }), {
        ...createContext(),
        resumeFrom: { file: 0, bytes: 5, records: 1, total: 1 },
      }),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_RESUME_MISMATCH')
  })
})

describe('sink-jsonl rotation', () => {
  const shard = (index: number) => join(dir, 'run', `captions-${String(index).padStart(5, '0')}.jsonl`)
  const idsIn = async (path: string) => (await readLines(path)).filter(Boolean).map((line) => JSON.parse(line).id)

  it('writes rotateEvery records per file, named <stem>-00000.jsonl, ..., and lists them', async () => {
    const sink = await definition.create(
      configFor(definition, { path: 'captions.jsonl', rotateEvery: 3 }),
      createContext(),
    )
    for (let id = 0; id < 7; id++) await sink.write({ id })
    expect(sink.outputs!()).toEqual([shard(0), shard(1), shard(2)])
    await sink.close()
    expect(await idsIn(shard(0))).toEqual([0, 1, 2])
    expect(await idsIn(shard(1))).toEqual([3, 4, 5])
    expect(await idsIn(shard(2))).toEqual([6])
    await expect(readFile(join(dir, 'run', 'captions.jsonl'))).rejects.toThrow()
  })

  it('resumed from a checkpoint, cuts its file back, deletes files written after it and goes on: every record once', async () => {
    const sink = await definition.create(
      configFor(definition, { path: 'captions.jsonl', rotateEvery: 3 }),
      createContext(),
    )
    for (let id = 0; id < 4; id++) await sink.write({ id })
    const checkpoint = await sink.checkpoint!()
    // Written after the checkpoint, then the process died: a resume writes these again.
    for (let id = 4; id < 8; id++) await sink.write({ id })
    await sink.flush!()
    expect(existsSync(shard(2))).toBe(true)

    const resumed = await definition.create(configFor(definition, { path: 'captions.jsonl', rotateEvery: 3 }), {
      ...createContext(),
      resumeFrom: checkpoint,
    })
    expect(existsSync(shard(2))).toBe(false)
    for (let id = 4; id < 8; id++) await resumed.write({ id })
    await resumed.close()
    expect([...(await idsIn(shard(0))), ...(await idsIn(shard(1))), ...(await idsIn(shard(2)))]).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ])
    expect(await idsIn(shard(1))).toEqual([3, 4, 5])
  })

  it('written from the start, removes the series an earlier write left', async () => {
    const first = await definition.create(
      configFor(definition, { path: 'captions.jsonl', rotateEvery: 1 }),
      createContext(),
    )
    for (let id = 0; id < 3; id++) await first.write({ id })
    await first.close()
    const again = await definition.create(
      configFor(definition, { path: 'captions.jsonl', rotateEvery: 1 }),
      createContext(),
    )
    await again.write({ id: 'new' })
    await again.close()
    expect(await idsIn(shard(0))).toEqual(['new'])
    expect(existsSync(shard(1))).toBe(false)
  })

  it('refuses append with rotateEvery', async () => {
    const error = await Promise.resolve(
      definition.create(
        configFor(definition, { path: 'captions.jsonl', rotateEvery: 2, append: true }),
        createContext(),
      ),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
  })
})
