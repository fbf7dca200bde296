import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDataflowError, type SourceContext, type SourceRecord } from '@dataflow/sdk'
import { configFor, createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'
import { readLines } from './read-lines.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-jsonl-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): SourceContext {
  return createIoContext(dir)
}

async function readAll(config: Record<string, unknown>): Promise<SourceRecord[]> {
  const source = await definition.create(configFor(definition, config), createContext())
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return records
}

describe('source-jsonl', () => {
  it('yields one item per non-blank line, ids from idField or the line number', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"id":"a","x":1}\r\n\n{"x":2}\n  \n{"id":7,"x":3}')
    const records = await readAll({ path: 'in.jsonl' })
    expect(records).toEqual([
      { id: 'a', data: { id: 'a', x: 1 } },
      { id: '3', data: { x: 2 } },
      { id: '7', data: { id: 7, x: 3 } },
    ])
  })

  it('reads the id from a custom (dotted) field', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"meta":{"uid":"u1"}}\n{"meta":{"uid":"u2"}}\n')
    const records = await readAll({ path: 'in.jsonl', idField: 'meta.uid' })
    expect(records.map((r) => r.id)).toEqual(['u1', 'u2'])
  })

  it('turns malformed lines into error records and goes on', async () => {
    await writeFile(
      join(dir, 'in.jsonl'),
      ['{"id":"a"}', '{"id": oops}', '[1,2]', '"text"', '{"id":{"x":1}}', '{"id":"b"}'].join('\n'),
    )
    const records = await readAll({ path: 'in.jsonl' })
    expect(records.map((r) => r.id)).toEqual(['a', 'line-2', 'line-3', 'line-4', 'line-5', 'b'])
    const errors = records.filter((r) => r.error).map((r) => r.error!)
    expect(errors.every((e) => isDataflowError(e) && e.code === 'DATAFLOW_INPUT_INVALID')).toBe(true)
    expect(errors[0]!.message).toMatch(/^line 2: not valid JSON \(Unexpected token 'o'\)$/)
    expect(errors[1]!.message).toBe('line 3: expected a JSON object, found an array')
    expect(errors[2]!.message).toBe('line 4: expected a JSON object, found string')
    expect(errors[3]!.message).toBe('line 5: the id field "id" must be a non-empty string or a number, found {"x":1}')
  })

  it('gives the later of two duplicate ids an error record with a unique id', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"id":"a"}\n{"id":"b"}\n{"id":"a","v":2}\n')
    const records = await readAll({ path: 'in.jsonl' })
    expect(records.map((r) => r.id)).toEqual(['a', 'b', 'a#line-3'])
    expect(records[2]!.error?.message).toBe('line 3: duplicate id "a" (an earlier line has it)')
  })

  it('fails with DATAFLOW_INPUT_NOT_FOUND and the resolved path when the file is missing', async () => {
    const error = await Promise.resolve(
      definition.create(configFor(definition, { path: 'nope.jsonl' }), createContext()),
    ).catch((e: unknown) => e)
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_INPUT_NOT_FOUND')
    expect((error as Error).message).toContain(join(dir, 'nope.jsonl'))
  })

  it('fails at read time when the file disappeared after create', async () => {
    await writeFile(join(dir, 'in.jsonl'), '{"id":"a"}\n')
    const source = await definition.create(configFor(definition, { path: 'in.jsonl' }), createContext())
    await rm(join(dir, 'in.jsonl'))
    const iterator = source.read()[Symbol.asyncIterator]()
    await expect(iterator.next()).rejects.toMatchObject({ code: 'DATAFLOW_INPUT_NOT_FOUND' })
  })

  it('counts non-blank lines and fingerprints path, size and mtime', async () => {
    await writeFile(join(dir, 'in.jsonl'), '\uFEFF{"id":1}\n\n  \r\n{"id":2}\n{"id":3}')
    const source = await definition.create(configFor(definition, { path: 'in.jsonl' }), createContext())
    expect(await source.count?.()).toBe(3)
    const before = await source.fingerprint!()
    expect(before).toContain(join(dir, 'in.jsonl'))
    await writeFile(join(dir, 'in.jsonl'), '{"id":1}\n')
    expect(await source.fingerprint!()).not.toBe(before)
  })

  it('is pulled lazily: the first record arrives before the file is read', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ id: i, text: 'x'.repeat(40) }))
    await writeFile(join(dir, 'big.jsonl'), lines.join('\n'))
    const source = await definition.create(configFor(definition, { path: 'big.jsonl' }), createContext())
    let consumed = 0
    for await (const record of source.read()) {
      consumed++
      expect(record.id).toBe('0')
      break
    }
    expect(consumed).toBe(1)
    expect(await source.count?.()).toBe(30_000)
  })
})

describe('readLines', () => {
  it('keeps multi-byte characters and long lines that span chunks intact', async () => {
    const long = 'é'.repeat(100_000)
    await writeFile(join(dir, 'u.txt'), `日本語 ✓\n${long}\r\nlast`)
    const lines = []
    for await (const line of readLines(join(dir, 'u.txt'))) lines.push(line)
    expect(lines).toEqual([
      { number: 1, text: '日本語 ✓' },
      { number: 2, text: long },
      { number: 3, text: 'last' },
    ])
  })
})
