import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isDataflowError } from '@dataflow/sdk'
import { acquireFirst } from './acquire-first.js'
import { createAdmissionPool, type AdmissionPool, type AdmissionTicket, type Slot } from './admission-pool.js'
import { createAimdLimiter } from './aimd-limiter.js'
import { createTimers } from './timers.js'

const poolOf = (limit: number, floor = 1) =>
  createAdmissionPool(
    createAimdLimiter({ floor, ceiling: limit, initial: limit }),
    createTimers(() => Date.now()),
  )

/** A slot from one pool, asked for the way sendChat does (acquireFirst over the model's pools). */
const acquire = (pool: AdmissionPool, ticket: AdmissionTicket, signal?: AbortSignal): Promise<Slot> =>
  acquireFirst([pool], ticket, signal).then(({ slot }) => slot)

describe('createAdmissionPool', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('admits up to the limit, then hands freed slots out by priority and age', async () => {
    const pool = poolOf(2)
    const order: string[] = []
    const take = (name: string, priority: number, sequence: number) =>
      acquireFirst([pool], { priority, sequence }, undefined).then(({ slot }) => {
        order.push(name)
        return slot
      })
    const first = await take('a', 0, 1)
    const second = await take('b', 0, 2)
    const waiting = [
      take('item5-route', 0, 5),
      take('item9-judge', 3, 9),
      take('item2-judge', 3, 2),
      take('item1-agent', 1, 1),
    ]
    expect(pool.inFlight).toBe(2)
    expect(pool.queued).toBe(4)
    first.release('neutral')
    second.release('neutral')
    await Promise.resolve()
    expect(order).toEqual(['a', 'b', 'item2-judge', 'item9-judge'])
    const slots = await Promise.all(waiting.slice(1, 3))
    slots.forEach((slot) => slot.release('neutral'))
    await Promise.all(waiting)
    expect(order).toEqual(['a', 'b', 'item2-judge', 'item9-judge', 'item1-agent', 'item5-route'])
    expect(pool.stats()).toMatchObject({ peakInFlight: 2, peakQueued: 4, admitted: 6 })
  })

  it('an aborted waiter leaves the queue at once and its turn goes to the next', async () => {
    const pool = poolOf(1)
    const held = await acquire(pool, { priority: 0, sequence: 0 })
    const controller = new AbortController()
    const cancelled = acquire(pool, { priority: 5, sequence: 1 }, controller.signal)
    const next = acquire(pool, { priority: 0, sequence: 2 })
    controller.abort()
    await expect(cancelled).rejects.toMatchObject({ code: 'DATAFLOW_INTERRUPTED' })
    expect(pool.queued).toBe(1)
    held.release('neutral')
    await expect(next).resolves.toBeDefined()
  })

  it('overload lowers the limit once per round trip; a healthy round trip brings it back', async () => {
    const pool = poolOf(20)
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index)
    const slots: Slot[] = await Promise.all(range(0, 20).map((sequence) => acquire(pool, { priority: 0, sequence })))
    // 4 overload answers of 20 (more than 15%): one decrease, 20 -> 14.
    expect(slots.slice(0, 4).map((slot) => slot.release('overload'))).toEqual([false, false, false, true])
    expect(pool.limit).toBe(14)
    expect(pool.inFlight).toBe(16)
    const queued = range(20, 60).map((sequence) => acquire(pool, { priority: 0, sequence }))
    expect(pool.queued).toBe(40)
    // The rest of that round trip cannot lower it again, and its successes do not raise it.
    expect(slots.slice(4, 8).map((slot) => slot.release('overload'))).toEqual([false, false, false, false])
    for (const slot of slots.slice(8)) slot.release('success')
    await Promise.resolve()
    expect(pool.limit).toBe(14)
    expect(pool.inFlight).toBe(14)
    // A round trip (20 answers) of requests admitted after the decrease: half the gap back.
    for (const waiting of queued.slice(0, 20)) (await waiting).release('success')
    expect(pool.limit).toBe(17)
    expect(pool.inFlight).toBe(17)
  })

  it('Retry-After pauses admissions until the time it names', async () => {
    const pool = poolOf(4)
    const slot = await acquire(pool, { priority: 0, sequence: 0 })
    pool.pauseUntil(Date.now() + 1000)
    slot.release('neutral')
    let admitted = false
    const waiting = acquire(pool, { priority: 0, sequence: 1 }).then((next) => {
      admitted = true
      return next
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(admitted).toBe(false)
    expect(pool.isPaused()).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(admitted).toBe(true)
    ;(await waiting).release('neutral')
    expect(pool.stats().pauses).toBe(1)
  })

  it('close rejects every waiter and later acquires, and leaves no timer behind', async () => {
    const pool = poolOf(1)
    await acquire(pool, { priority: 0, sequence: 0 })
    pool.pauseUntil(Date.now() + 60_000)
    const waiting = acquire(pool, { priority: 0, sequence: 1 })
    pool.close(new Error('closed'))
    await expect(waiting).rejects.toThrow('closed')
    await expect(acquire(pool, { priority: 0, sequence: 2 })).rejects.toThrow('closed')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const pool = poolOf(1)
    const error = await acquire(pool, { priority: 0, sequence: 0 }, AbortSignal.abort()).catch(
      (reason: unknown) => reason,
    )
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_INTERRUPTED')
  })
})
