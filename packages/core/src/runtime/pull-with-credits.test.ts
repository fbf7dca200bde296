import { lastValueFrom, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { deferred } from '../../test/plan-fixtures.js'
import { pullWithCredits } from './pull-with-credits.js'

async function* countTo(n: number, pulled: number[]) {
  for (let i = 0; i < n; i++) {
    pulled.push(i)
    yield i
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('pullWithCredits', () => {
  it('never pulls more than the window ahead of finished work', async () => {
    const pulled: number[] = []
    const gates = Array.from({ length: 10 }, () => deferred<number>())
    const results: number[] = []
    const subscription = pullWithCredits(countTo(10, pulled), (value) => gates[value]!.promise, {
      window: 3,
    }).subscribe((v) => results.push(v))
    await tick()
    expect(pulled).toEqual([0, 1, 2])
    gates[1]!.resolve(1)
    await tick()
    expect(pulled).toEqual([0, 1, 2, 3])
    expect(results).toEqual([1])
    for (const gate of gates) gate.resolve(-1)
    await tick()
    subscription.unsubscribe()
  })

  it('emits every result and completes when the source is exhausted', async () => {
    const pulled: number[] = []
    const all = await lastValueFrom(
      pullWithCredits(countTo(100, pulled), async (v) => v * 2, { window: 7 }).pipe(toArray()),
    )
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i * 2))
  })

  it('stops pulling on stop but finishes the work in flight', async () => {
    const pulled: number[] = []
    const stop = new AbortController()
    const gates = Array.from({ length: 10 }, () => deferred<number>())
    const done = lastValueFrom(
      pullWithCredits(countTo(10, pulled), (v) => gates[v]!.promise, { window: 2, stop: stop.signal }).pipe(toArray()),
    )
    await tick()
    stop.abort()
    gates[0]!.resolve(0)
    gates[1]!.resolve(1)
    expect(await done).toEqual([0, 1])
    expect(pulled).toEqual([0, 1])
  })

  it('closes the source iterator when unsubscribed', async () => {
    let closed = false
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i
      } finally {
        closed = true
      }
    }
    const subscription = pullWithCredits(endless(), async (v) => v, { window: 1 }).subscribe()
    await tick()
    subscription.unsubscribe()
    await tick()
    expect(closed).toBe(true)
  })
})
