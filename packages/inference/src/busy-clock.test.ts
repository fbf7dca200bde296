import { describe, expect, it } from 'vitest'
import { createBusyClock } from './busy-clock.js'

describe('createBusyClock', () => {
  it('counts the union of answered attempts: overlaps once, idle time not at all', () => {
    let time = 0
    const clock = createBusyClock(() => time)
    const first = clock.start()
    time = 100
    const second = clock.start()
    time = 150
    clock.stop(first, true)
    time = 300
    clock.stop(second, true)
    time = 1000
    clock.start()
    time = 1050
    // The attempt still running is counted once it ends.
    expect(clock.busyMs()).toBe(300)
  })

  it('charges nothing for an attempt that got no answer (a hung connection cancelled by its timeout)', () => {
    let time = 0
    const clock = createBusyClock(() => time)
    const hung = clock.start()
    time = 10
    const answered = clock.start()
    time = 60
    clock.stop(answered, true)
    time = 5000
    clock.stop(hung, false)
    expect(clock.busyMs()).toBe(50)
  })

  it('a long attempt answered late fills the holes between shorter ones, counted once', () => {
    let time = 0
    const clock = createBusyClock(() => time)
    const long = clock.start()
    const a = clock.start()
    time = 100
    clock.stop(a, true)
    time = 300
    const b = clock.start()
    time = 400
    clock.stop(b, true)
    // 0-100 and 300-400 so far: 200 ms, a hole from 100 to 300.
    expect(clock.busyMs()).toBe(200)
    time = 500
    clock.stop(long, true)
    expect(clock.busyMs()).toBe(500)
  })
})
