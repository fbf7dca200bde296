import { describe, expect, it } from 'vitest'
import { createBusyClock } from './busy-clock.js'

describe('createBusyClock', () => {
  it('counts wall time with at least one request in flight, overlaps once', () => {
    let time = 0
    const clock = createBusyClock(() => time)
    clock.start()
    time = 100
    clock.start()
    time = 150
    clock.stop()
    time = 300
    clock.stop()
    time = 1000
    clock.start()
    time = 1050
    expect(clock.busyMs()).toBe(350)
  })
})
