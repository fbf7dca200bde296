import { DataflowError, reject } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import { createEnvironment, createPlan, deferred, type TestNode } from '../../test/plan-fixtures.js'
import { ItemRun } from './item-run.js'

const runItem = (nodes: TestNode[], item: Record<string, unknown> = {}, runSignal?: AbortSignal) => {
  const plan = createPlan(nodes)
  const { environment, events, sleeps } = createEnvironment(plan, runSignal)
  return { outcome: new ItemRun(environment, 'item-1', 0, item).run(), events, sleeps }
}

describe('ItemRun', () => {
  it('runs independent nodes concurrently and joins them by item', async () => {
    const a = deferred<Record<string, unknown>>()
    const b = deferred<Record<string, unknown>>()
    const started: string[] = []
    const { outcome } = runItem([
      { id: 'a', handler: () => (started.push('a'), a.promise) },
      { id: 'b', handler: () => (started.push('b'), b.promise) },
      {
        id: 'join',
        needs: ['a', 'b'],
        handler: (input) => ({ sum: (input.get('a.value') as number) + (input.get('b.value') as number) }),
      },
    ])
    await Promise.resolve()
    expect(started).toEqual(['a', 'b'])
    b.resolve({ value: 2 })
    a.resolve({ value: 1 })
    const result = await outcome
    expect(result.outcome).toBe('ok')
    expect(result.outputs['join']).toEqual({ sum: 3 })
    expect(result.statuses).toEqual({ a: 'done', b: 'done', join: 'done' })
  })

  it('skips a node whose when is false and still runs its dependents', async () => {
    const { outcome, events } = runItem([
      { id: 'route', handler: () => ({ domain: 'natural' }) },
      {
        id: 'ocr',
        needs: ['route'],
        when: (scope) => (scope['route'] as { domain: string }).domain === 'document',
        handler: () => ({ text: 'x' }),
      },
      {
        id: 'summary',
        needs: ['ocr'],
        handler: (input) => ({ sawOcr: input.status('ocr'), needs: input.needs.map((n) => n.status) }),
      },
    ])
    const result = await outcome
    expect(result.outcome).toBe('ok')
    expect(result.outputs['summary']).toEqual({ sawOcr: 'skipped', needs: ['skipped'] })
    expect(events).toContainEqual({ node: 'ocr', event: 'skipped' })
  })

  it('turns a thrown error into an error outcome with node, code and attempts, cancelling the rest', async () => {
    const never = deferred<Record<string, unknown>>()
    let aborted = false
    const { outcome } = runItem([
      {
        id: 'slow',
        handler: (_input, context) => (context.signal.addEventListener('abort', () => (aborted = true)), never.promise),
      },
      {
        id: 'bad',
        handler: () => {
          throw new DataflowError('DATAFLOW_MEDIA_INVALID', 'truncated JPEG')
        },
      },
      { id: 'after', needs: ['bad'] },
    ])
    const result = await outcome
    expect(result.outcome).toBe('error')
    expect(result.error).toMatchObject({
      node: 'bad',
      attempts: 1,
      error: { code: 'DATAFLOW_MEDIA_INVALID', message: 'truncated JPEG' },
    })
    expect(result.statuses).toEqual({ slow: 'cancelled', bad: 'failed', after: 'cancelled' })
    expect(aborted).toBe(true)
  })

  it('wraps non-dataflow errors as DATAFLOW_NODE_FAILED', async () => {
    const result = await runItem([
      {
        id: 'x',
        handler: () => {
          throw new TypeError('boom')
        },
      },
    ]).outcome
    expect(result.error?.error).toMatchObject({ code: 'DATAFLOW_NODE_FAILED', message: 'boom' })
  })

  it('retries retryable errors with doubling backoff up to the configured attempts', async () => {
    let calls = 0
    const { outcome, sleeps } = runItem([
      {
        id: 'flaky',
        attempts: 3,
        handler: (_input, context) => {
          calls++
          if (context.attempt < 3) throw new DataflowError('DATAFLOW_INFERENCE_TIMEOUT', 'slow')
          return { ok: true }
        },
      },
    ])
    expect((await outcome).outcome).toBe('ok')
    expect(calls).toBe(3)
    expect(sleeps).toEqual([10, 20])
  })

  it('does not retry non-retryable errors and reports the attempts made', async () => {
    let calls = 0
    const result = await runItem([
      {
        id: 'x',
        attempts: 5,
        handler: () => {
          calls++
          throw new DataflowError('DATAFLOW_OUTPUT_INVALID', 'not JSON')
        },
      },
    ]).outcome
    expect(calls).toBe(1)
    expect(result.error?.attempts).toBe(1)
  })

  it('lets dependents run when an onError: continue node fails, and shows them the failure', async () => {
    const result = await runItem([
      {
        id: 'ocr',
        onError: 'continue',
        handler: () => {
          throw new DataflowError('DATAFLOW_INFERENCE_FAILED', 'server 500', { retryable: false })
        },
      },
      { id: 'vision', handler: () => ({ text: 'a cat' }) },
      {
        id: 'summary',
        needs: ['ocr', 'vision'],
        handler: (input) => ({ needs: input.needs.map((n) => [n.node, n.status, n.error?.code]) }),
      },
    ]).outcome
    expect(result.outcome).toBe('ok')
    expect(result.outputs['summary']).toEqual({
      needs: [
        ['ocr', 'failed', 'DATAFLOW_INFERENCE_FAILED'],
        ['vision', 'done', undefined],
      ],
    })
    expect(result.failures).toHaveLength(1)
  })

  it('ends as rejected with the reason and keeps the rejecting node output', async () => {
    const result = await runItem([
      { id: 'summary', handler: () => ({ caption: 'c' }) },
      {
        id: 'judge',
        needs: ['summary'],
        handler: () =>
          reject('completeness is Good', { details: { scores: { completeness: 2 } }, output: { verdict: 'reject' } }),
      },
      { id: 'export', needs: ['judge'] },
    ]).outcome
    expect(result.outcome).toBe('rejected')
    expect(result.rejection).toEqual({
      node: 'judge',
      reason: 'completeness is Good',
      details: { scores: { completeness: 2 } },
    })
    expect(result.outputs['judge']).toEqual({ verdict: 'reject' })
    expect(result.statuses['export']).toBe('cancelled')
  })

  it('ends as interrupted when the run is aborted mid-item', async () => {
    const run = new AbortController()
    const { outcome } = runItem(
      [
        {
          id: 'hang',
          handler: (_input, context) =>
            new Promise((_resolve, rejectPromise) =>
              context.signal.addEventListener('abort', () =>
                rejectPromise(new DataflowError('DATAFLOW_INFERENCE_TIMEOUT', 'aborted')),
              ),
            ),
        },
      ],
      {},
      run.signal,
    )
    await Promise.resolve()
    run.abort(new Error('SIGINT'))
    const result = await outcome
    expect(result.outcome).toBe('interrupted')
    expect(result.error?.error.code).toBe('DATAFLOW_INTERRUPTED')
  })

  it('reads item fields and upstream outputs through paths', async () => {
    const result = await runItem(
      [
        { id: 'media', handler: (input) => ({ path: input.get('item.media') }) },
        {
          id: 'agent',
          needs: ['media'],
          handler: (input) => ({
            seen: input.get('media.path'),
            missing: input.get('media.nope.deep'),
            item: input.item['dataset'],
          }),
        },
      ],
      { media: '/data/a.jpg', dataset: 'coco' },
    ).outcome
    expect(result.outputs['agent']).toEqual({ seen: '/data/a.jpg', missing: undefined, item: 'coco' })
  })

  it('never lets a node see __proto__ through paths', async () => {
    const result = await runItem([{ id: 'x', handler: (input) => ({ v: input.get('item.__proto__') }) }]).outcome
    expect(result.outcome).toBe('error')
  })
})
