import { describe, expect, it } from 'vitest'
import { SourceProgress } from './source-progress.js'

describe('SourceProgress', () => {
  it('advances over the finished prefix only, whatever the finishing order', () => {
    const progress = new SourceProgress(undefined)
    for (let seq = 0; seq < 4; seq++) progress.read(seq, { offset: (seq + 1) * 10 })
    expect(progress.checkpoint()).toBeUndefined()
    progress.finished(2)
    progress.finished(1)
    expect(progress.checkpoint()).toBeUndefined()
    progress.finished(0)
    expect(progress.checkpoint()).toEqual({ seq: 3, position: { offset: 30 } })
    progress.finished(3)
    expect(progress.checkpoint()).toEqual({ seq: 4, position: { offset: 40 } })
  })

  it('starts from a resume point and ignores items before it', () => {
    const progress = new SourceProgress({ seq: 10, position: { offset: 100 } })
    expect(progress.checkpoint()).toEqual({ seq: 10, position: { offset: 100 } })
    progress.finished(3)
    progress.read(10, { offset: 110 })
    progress.finished(10)
    expect(progress.checkpoint()).toEqual({ seq: 11, position: { offset: 110 } })
  })

  it('gives no resume point once a record without a position is in the prefix', () => {
    const progress = new SourceProgress(undefined)
    progress.read(0, { offset: 1 })
    progress.read(1, undefined)
    progress.finished(0)
    expect(progress.checkpoint()).toEqual({ seq: 1, position: { offset: 1 } })
    progress.finished(1)
    expect(progress.checkpoint()).toBeUndefined()
  })
})
