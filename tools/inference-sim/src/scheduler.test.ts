import { describe, expect, it } from 'vitest'
import { createScheduler, type SchedulerJob } from './scheduler.js'
import { createManualClock } from './test-support/manual-clock.js'

const settings = { maxSeqs: 4, timeScale: 1, baseStepMs: 10, stepSlope: 1 }

function setup(overrides: Partial<typeof settings> = {}) {
  const clock = createManualClock()
  const waits: number[] = []
  const occupancy: [number, number][] = []
  const scheduler = createScheduler({ ...settings, ...overrides }, clock, {
    onAdmit: (wait) => waits.push(wait),
    onOccupancy: (running, waiting) => occupancy.push([running, waiting]),
  })
  const log: string[] = []
  const doneAt = new Map<string, number>()
  const job = (name: string, decodeSteps: number, prefillMs = 0, slowFactor = 1): SchedulerJob => ({
    model: 'm',
    decodeSteps,
    slowFactor,
    start: () => {
      log.push(`start ${name}`)
      return prefillMs
    },
    finish: () => {
      log.push(`finish ${name}`)
      doneAt.set(name, clock.now())
    },
  })
  return { clock, scheduler, job, log, doneAt, waits, occupancy }
}

describe('createScheduler', () => {
  it('runs one job for prefill + tokens x step, step growing with the batch', () => {
    const { clock, scheduler, job, doneAt } = setup()
    scheduler.submit(job('a', 10, 100))
    // one running: step = 10 * (1 + 1 * 1/4) = 12.5 ms
    clock.advance(1000)
    expect(doneAt.get('a')).toBeCloseTo(100 + 10 * 12.5)
  })

  it('slows every running job when the batch grows', () => {
    const { clock, scheduler, job, doneAt } = setup()
    scheduler.submit(job('a', 10))
    scheduler.submit(job('b', 10))
    clock.advance(1000)
    // two running: step = 10 * (1 + 2/4) = 15 ms
    expect(doneAt.get('a')).toBeCloseTo(150)
    expect(doneAt.get('b')).toBeCloseTo(150)
  })

  it('re-rates progress when the batch shrinks mid-way', () => {
    const { clock, scheduler, job, doneAt } = setup()
    scheduler.submit(job('short', 2))
    scheduler.submit(job('long', 10))
    clock.advance(1000)
    // both at 15 ms/step until short ends at 30 ms (long has done 2), then 8 steps at 12.5 ms
    expect(doneAt.get('short')).toBeCloseTo(30)
    expect(doneAt.get('long')).toBeCloseTo(30 + 8 * 12.5)
  })

  it('never runs more than maxSeqs; the rest wait and start in FIFO order', () => {
    const { clock, scheduler, job, log, occupancy, waits } = setup()
    for (let i = 0; i < 7; i++) scheduler.submit(job(`j${i}`, 5 + i))
    expect(scheduler.running).toBe(4)
    expect(scheduler.waiting).toBe(3)
    clock.advance(10_000)
    expect(Math.max(...occupancy.map(([running]) => running))).toBe(4)
    expect(log.filter((l) => l.startsWith('start'))).toEqual([
      'start j0',
      'start j1',
      'start j2',
      'start j3',
      'start j4',
      'start j5',
      'start j6',
    ])
    expect(waits.filter((w) => w > 0)).toHaveLength(3)
    expect(scheduler.running + scheduler.waiting).toBe(0)
    expect(clock.pending).toBe(0)
  })

  it('scales every duration by timeScale and slow jobs by their factor', () => {
    const { clock, scheduler, job, doneAt } = setup({ timeScale: 0.01 })
    scheduler.submit(job('a', 10, 100))
    scheduler.submit(job('slow', 10, 100, 10))
    clock.advance(100)
    // batch of 2: step = 10 * 1.5 * 0.01 = 0.15 ms; a: prefill 1 ms + 10 steps
    expect(doneAt.get('a')).toBeCloseTo(1 + 10 * 0.15)
    // slow: prefill 100 * 0.01 * 10 = 10 ms; by then it runs alone: 10 steps of 0.125 * 10 ms
    expect(doneAt.get('slow')).toBeCloseTo(10 + 10 * 1.25)
  })

  it('reports tokens decoded so far without changing the outcome', () => {
    const { clock, scheduler, job, doneAt } = setup()
    const handle = scheduler.submit(job('a', 10, 50))
    clock.advance(25)
    expect(handle.tokensDone()).toBe(0)
    clock.advance(50) // 25 ms into decode at 12.5 ms/step
    expect(handle.tokensDone()).toBeCloseTo(2)
    clock.advance(1000)
    expect(handle.tokensDone()).toBe(10)
    expect(doneAt.get('a')).toBeCloseTo(50 + 125)
  })

  it('cancel frees the slot for the next waiting job and never calls back', () => {
    const { clock, scheduler, job, log } = setup({ maxSeqs: 1 })
    const first = scheduler.submit(job('a', 100))
    scheduler.submit(job('b', 1))
    clock.advance(10)
    first.cancel()
    expect(first.state).toBe('done')
    expect(scheduler.running).toBe(1)
    clock.advance(1000)
    expect(log).toEqual(['start a', 'start b', 'finish b'])
  })

  it('cancels a waiting job', () => {
    const { clock, scheduler, job, log } = setup({ maxSeqs: 1 })
    scheduler.submit(job('a', 1))
    scheduler.submit(job('b', 1)).cancel()
    clock.advance(1000)
    expect(log).toEqual(['start a', 'finish a'])
  })

  it('dispose drops jobs and leaves no timer', () => {
    const { clock, scheduler, job, log } = setup()
    scheduler.submit(job('a', 100))
    expect(clock.pending).toBe(1)
    scheduler.dispose()
    expect(clock.pending).toBe(0)
    clock.advance(10_000)
    expect(log).toEqual(['start a'])
  })
})
