import { describe, expect, it } from 'vitest'
import { steadyUtilisation, type SimSample } from './sim-fleet.js'

/** Samples every 100 ms of a server with 10 slots: `running(t)` requests running at time t. */
function samples(durationMs: number, running: (time: number) => number, totalRequests: number): SimSample[] {
  const out: SimSample[] = []
  let integral = 0
  for (let time = 0; time <= durationMs; time += 100) {
    if (time > 0) integral += running(time - 100) * 100
    out.push({
      elapsedMs: time,
      runningMs: integral,
      arrivals: time >= 100 ? totalRequests : 0,
      completed: time >= durationMs - 100 ? totalRequests : 0,
    })
  }
  return out
}

describe('steadyUtilisation', () => {
  it('leaves ramp-up and drain out of the figure', () => {
    // Full (10 of 10) between 1 s and 9 s, half full during ramp-up and drain.
    const run = samples(10_000, (time) => (time < 1000 || time >= 9000 ? 5 : 10), 500)
    expect(steadyUtilisation(run, 10)).toBeCloseTo(1, 5)
    expect(steadyUtilisation(run, 10, 0)).toBeLessThan(0.96)
  })

  it('is undefined before anything arrived', () => {
    expect(steadyUtilisation([{ elapsedMs: 0, runningMs: 0, arrivals: 0, completed: 0 }], 10)).toBeUndefined()
  })
})
