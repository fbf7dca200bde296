import { describe, expect, it } from 'vitest'
import { createLimiter } from './create-limiter.js'

describe('createLimiter', () => {
  it('never runs more than `concurrency` tasks at once, and runs them all in order of arrival', async () => {
    const limit = createLimiter(2)
    let running = 0
    let peak = 0
    const started: number[] = []
    // Node 20 has no Promise.withResolvers.
    const gates = Array.from({ length: 6 }, () => {
      let resolve!: () => void
      const promise = new Promise<void>((done) => (resolve = done))
      return { promise, resolve }
    })
    const tasks = gates.map((gate, i) =>
      limit(async () => {
        started.push(i)
        peak = Math.max(peak, ++running)
        await gate.promise
        running--
        return i
      }),
    )
    for (const gate of gates) {
      await new Promise((resolve) => setImmediate(resolve))
      gate.resolve()
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5])
    expect(peak).toBe(2)
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('frees the slot of a failed task', async () => {
    const limit = createLimiter(1)
    await expect(
      limit(async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await limit(async () => 'next')).toBe('next')
  })
})
