import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runNode, type TestItem } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import dedup from './index.js'

const texts = (...values: string[]): TestItem[] => values.map((text, index) => ({ id: `r${index}`, item: { text } }))

describe('dedup node', () => {
  it('passes the first item of each key and rejects later ones, saying what was equal', async () => {
    const outcomes = await runNode(dedup, { config: { key: 'item.text' }, items: texts('a', 'b', 'a', 'A ', 'b') })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'done', 'rejected', 'done', 'rejected'])
    expect(outcomes[2]).toMatchObject({
      reason: 'duplicate of an earlier item: same item.text',
      details: { key: { 'item.text': 'a' }, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) },
    })
    expect(outcomes[0]).toEqual({
      id: 'r0',
      status: 'done',
      output: { fingerprint: (outcomes[2] as unknown as { details: { fingerprint: string } }).details.fingerprint },
    })
  })

  it('compares normalised text, and several fields (or nested values) as one key', async () => {
    const normalised = await runNode(dedup, {
      config: { key: 'item.text', normalize: true },
      items: texts('Hello  World', 'hello world', 'ｈｅｌｌｏ world\n'),
    })
    expect(normalised.map((outcome) => outcome.status)).toEqual(['done', 'rejected', 'rejected'])
    const pairs = await runNode(dedup, {
      config: { key: ['item.title', 'item.meta'] },
      items: [
        { item: { title: 't', meta: { a: 1, b: 2 } } },
        { item: { title: 't', meta: { b: 2, a: 1 } } },
        { item: { title: 't', meta: { a: 1 } } },
        { item: { title: 'u', meta: { a: 1, b: 2 } } },
      ],
    })
    expect(pairs.map((outcome) => outcome.status)).toEqual(['done', 'rejected', 'done', 'done'])
  })

  it('deduplicates images by the content hash the media node wrote', async () => {
    const image = (hash: string) => ({ outputs: { media: { modality: 'image', image: { hash } } } })
    const outcomes = await runNode(dedup, {
      config: { key: 'media.image.hash' },
      items: [image('aa'), image('bb'), image('aa')],
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'done', 'rejected'])
  })

  it('makes an item without a key an input error, and goes on', async () => {
    const outcomes = await runNode(dedup, {
      config: { key: 'item.text' },
      items: [{ item: {} }, { item: { text: null } }, ...texts('x')],
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['error', 'error', 'done'])
    expect(outcomes[0]).toMatchObject({
      error: { code: 'DATAFLOW_INPUT_INVALID', message: 'no key to deduplicate by: nothing at item.text' },
    })
  })

  it('decides after a restart exactly as without one: admitted items pass again, their duplicates do not', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'dedup-state-'))
    const first = await runNode(dedup, { stateDir, config: { key: 'item.text' }, items: texts('a', 'b') })
    expect(first.map((outcome) => outcome.status)).toEqual(['done', 'done'])
    // The resumed run sees r1 again (its result was not journaled before the kill) and new items.
    const resumed = await runNode(dedup, {
      stateDir,
      config: { key: 'item.text' },
      items: [
        { id: 'r1', item: { text: 'b' } },
        { id: 'r2', item: { text: 'a' } },
        { id: 'r3', item: { text: 'c' } },
      ],
    })
    expect(resumed.map((outcome) => outcome.status)).toEqual(['done', 'rejected', 'done'])
    // Other settings are another dedup: they start empty.
    const other = await runNode(dedup, { stateDir, config: { key: 'item.text', normalize: true }, items: texts('a') })
    expect(other.map((outcome) => outcome.status)).toEqual(['done'])
  })

  it('holds at most maxKeys keys: new keys beyond are errors, known keys still dedupe', async () => {
    const outcomes = await runNode(dedup, {
      config: { key: 'item.text', maxKeys: 2 },
      items: texts('a', 'b', 'c', 'a'),
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'done', 'error', 'rejected'])
    expect(outcomes[2]).toMatchObject({
      error: { code: 'DATAFLOW_NODE_FAILED', hint: expect.stringContaining('maxKeys') },
    })
  })
})
