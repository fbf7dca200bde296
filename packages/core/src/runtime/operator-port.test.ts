import { DataflowError, type InvocationOutcome, type NodeOperator } from '@dataflow/sdk'
import { bufferCount, from, ignoreElements, mergeMap } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createEnvironment, createPlan } from '../../test/plan-fixtures.js'
import { ItemRun } from './item-run.js'

/** A cross-item node: answers items two at a time, like a batched model call would. */
const pairs: NodeOperator = (invocations$) =>
  invocations$.pipe(
    bufferCount(2),
    mergeMap((batch) =>
      from(
        batch.map((invocation): InvocationOutcome => ({
          id: invocation.input.id,
          result: { batchSize: batch.length, text: String(invocation.input.item['text']) },
        })),
      ),
    ),
  )

describe('operator nodes', () => {
  it('feed items into one RxJS stream and match every outcome back to its item', async () => {
    const plan = createPlan([
      { id: 'batch', instance: { operator: pairs } },
      { id: 'after', needs: ['batch'], handler: (input) => ({ seen: input.get('batch.text') }) },
    ])
    const { environment } = createEnvironment(plan)
    const outcomes = await Promise.all(
      ['x', 'y'].map((text, index) => new ItemRun(environment, `item-${index}`, index, { text }).run()),
    )
    expect(
      outcomes.map((outcome) => [outcome.id, outcome.outcome, outcome.outputs['batch'], outcome.outputs['after']]),
    ).toEqual([
      ['item-0', 'ok', { batchSize: 2, text: 'x' }, { seen: 'x' }],
      ['item-1', 'ok', { batchSize: 2, text: 'y' }, { seen: 'y' }],
    ])
    await plan.nodes[0]!.runner.close()
  })

  it('flushes a partial batch when the run ends', async () => {
    const plan = createPlan([{ id: 'batch', instance: { operator: pairs } }])
    const { environment } = createEnvironment(plan)
    const lonely = new ItemRun(environment, 'alone', 0, { text: 'z' }).run()
    await plan.nodes[0]!.runner.close()
    expect((await lonely).outputs['batch']).toEqual({ batchSize: 1, text: 'z' })
  })

  it('gives an error outcome to items the operator never answered', async () => {
    const dropAll: NodeOperator = (invocations$) => invocations$.pipe(ignoreElements())
    const plan = createPlan([{ id: 'drop', instance: { operator: dropAll } }])
    const { environment } = createEnvironment(plan)
    const lost = new ItemRun(environment, 'lost', 0, {}).run()
    await plan.nodes[0]!.runner.close()
    const outcome = await lost
    expect(outcome.outcome).toBe('error')
    expect(outcome.error?.error.message).toMatch(/operator node "drop" (completed without an outcome|was closed)/)
  })

  it('passes per-item errors emitted by the operator to that item only', async () => {
    const failOdd: NodeOperator = (invocations$) =>
      invocations$.pipe(
        mergeMap(async (invocation): Promise<InvocationOutcome> =>
          invocation.input.item['n'] === 1
            ? { id: invocation.input.id, error: new DataflowError('DATAFLOW_INPUT_INVALID', 'odd') }
            : { id: invocation.input.id, result: { ok: true } },
        ),
      )
    const plan = createPlan([{ id: 'op', instance: { operator: failOdd } }])
    const { environment } = createEnvironment(plan)
    const [even, odd] = await Promise.all([0, 1].map((n) => new ItemRun(environment, `i${n}`, n, { n }).run()))
    expect(even!.outcome).toBe('ok')
    expect(odd!.error?.error.code).toBe('DATAFLOW_INPUT_INVALID')
  })
})
