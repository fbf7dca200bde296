import { describe, expect, it } from 'vitest'
import { sampleTimestamps } from './sample-timestamps.js'

describe('sampleTimestamps', () => {
  it('takes the middle of equal segments over a long clip', () => {
    expect(sampleTimestamps(80, 8, 2)).toEqual([5, 15, 25, 35, 45, 55, 65, 75])
  })

  it('never samples faster than maxFps: a short clip gets fewer frames', () => {
    expect(sampleTimestamps(3, 8, 2)).toEqual([0.25, 0.75, 1.25, 1.75, 2.25, 2.75])
    expect(sampleTimestamps(3, 8, 0.5)).toEqual([1.5])
  })

  it('takes at least one frame, even from a clip shorter than one sampling period', () => {
    expect(sampleTimestamps(0.2, 8, 2)).toEqual([0.1])
  })
})
