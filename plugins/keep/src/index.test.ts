import { compileNodeExpression } from '@dataflow/core'
import { runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import keep from './index.js'

const run = (config: Record<string, unknown>, items: Parameters<typeof runNode>[1]['items']) =>
  runNode(keep, { config, items, compileExpression: compileNodeExpression })

const reviews = [
  { item: { lang: 'en' }, outputs: { classify: { label: 'positive', confidence: 0.9 } } },
  { item: { lang: 'en' }, outputs: { classify: { label: 'spam', confidence: 0.7 } } },
  { item: { lang: 'de' }, outputs: { classify: { label: 'negative', confidence: 0.4 } } },
]

describe('keep node', () => {
  it('rejects by rejectIf and says which rule held and what it read', async () => {
    const outcomes = await run({ rejectIf: "classify.label == 'spam' or item.lang != 'en'" }, reviews)
    expect(outcomes).toEqual([
      { id: '0', status: 'done', output: { kept: true } },
      {
        id: '1',
        status: 'rejected',
        reason: `rejectIf "classify.label == 'spam' or item.lang != 'en'" held (classify.label = "spam", item.lang = "en")`,
        details: {
          rule: "rejectIf: classify.label == 'spam' or item.lang != 'en'",
          values: { 'classify.label': 'spam', 'item.lang': 'en' },
        },
      },
      expect.objectContaining({ id: '2', status: 'rejected' }),
    ])
  })

  it('keeps by keepIf with the same language as `when` (in, and, comparisons)', async () => {
    const outcomes = await run(
      { keepIf: "classify.label in ['positive', 'negative'] and classify.confidence >= 0.5" },
      reviews,
    )
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'rejected', 'rejected'])
    expect(outcomes[2]).toMatchObject({
      reason: expect.stringContaining('did not hold (classify.label = "negative", classify.confidence = 0.4)'),
    })
  })

  it('writes a custom reason from a template, and the default one when a placeholder has no value', async () => {
    const outcomes = await run({ rejectIf: "classify.label == 'spam'", reason: 'looks like {{classify.label}}' }, [
      reviews[1]!,
    ])
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'looks like spam' })
    const [fallback] = await run({ rejectIf: 'item.missing == null', reason: 'no {{item.missing}}' }, [reviews[0]!])
    expect(fallback).toMatchObject({
      status: 'rejected',
      reason: 'rejectIf "item.missing == null" held (item.missing = null)',
    })
  })

  it('needs exactly one of keepIf and rejectIf', async () => {
    await expect(run({}, [])).rejects.toThrow(/invalid config/)
    await expect(run({ keepIf: 'item.a', rejectIf: 'item.b' }, [])).rejects.toThrow(/invalid config/)
  })

  it('reports an expression that does not parse when the node is created', async () => {
    await expect(run({ keepIf: "classify.label = 'x'" }, [])).rejects.toThrow(/unexpected "="/)
  })
})
