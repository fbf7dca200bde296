import { describe, expect, it } from 'vitest'
import { acquireFirst } from './acquire-first.js'
import { createAdmissionPool } from './admission-pool.js'
import { createAimdLimiter } from './aimd-limiter.js'
import { createTimers } from './timers.js'

const poolOf = (limit: number) =>
  createAdmissionPool(createAimdLimiter({ floor: 1, ceiling: limit, initial: limit }), createTimers())

describe('acquireFirst', () => {
  it('takes a free slot at the least loaded pool at once', async () => {
    const pools = [poolOf(4), poolOf(4)]
    expect(pools[0]!.tryAcquire()).toBeDefined()
    const { index } = await acquireFirst(pools, { priority: 0, sequence: 1 }, undefined)
    expect(index).toBe(1)
  })

  it('waits in every pool and the first slot freed anywhere takes it (work stealing)', async () => {
    const pools = [poolOf(1), poolOf(1)]
    const held = [pools[0]!.tryAcquire()!, pools[1]!.tryAcquire()!]
    const waiting = acquireFirst(pools, { priority: 0, sequence: 1 }, undefined)
    expect(pools.map((pool) => pool.queued)).toEqual([1, 1])
    held[1]!.release('neutral')
    const { index, slot } = await waiting
    expect(index).toBe(1)
    expect(pools.map((pool) => pool.queued)).toEqual([0, 0])
    held[0]!.release('neutral')
    expect(pools[0]!.inFlight).toBe(0)
    slot.release('neutral')
  })

  it('an abort removes the request from every queue', async () => {
    const pools = [poolOf(1), poolOf(1)]
    expect(pools.map((pool) => pool.tryAcquire())).not.toContain(undefined)
    const controller = new AbortController()
    const waiting = acquireFirst(pools, { priority: 0, sequence: 1 }, controller.signal)
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
    expect(pools.map((pool) => pool.queued)).toEqual([0, 0])
  })
})
