import { describe, expect, it } from 'vitest'
import { planShards, type PlannedSlice } from './plan-shards.js'

/** Deterministic pseudo-random weights: mostly images (1, 4/3), some videos (8). */
function makeWeights(seed: number, sizes: number[]): Float32Array[] {
  let state = seed
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
  return sizes.map((size) =>
    Float32Array.from({ length: size }, () => {
      const r = random()
      return r < 0.1 ? 8 : r < 0.4 ? 4 / 3 : 1
    }),
  )
}

function checkPlan(weights: Float32Array[], shardCount: number, slices: PlannedSlice[]) {
  const owner = weights.map((list) => new Array<number>(list.length).fill(-1))
  let overlaps = 0
  for (const slice of slices) {
    expect(slice.end).toBeGreaterThan(slice.start)
    for (let i = slice.start; i < slice.end; i++) {
      if (owner[slice.datasetIndex]![i] !== -1) overlaps++
      owner[slice.datasetIndex]![i] = slice.shard
    }
  }
  expect(overlaps).toBe(0)
  const flat = owner.flat()
  expect(flat.every((shard) => shard >= 0 && shard < shardCount)).toBe(true)
  // Contiguous: shard numbers never go down along the item order.
  expect(flat.every((shard, i) => i === 0 || shard >= flat[i - 1]!)).toBe(true)
  const total = weights.reduce((sum, list) => sum + list.reduce((a, b) => a + b, 0), 0)
  const heaviest = Math.max(...weights.map((list) => Math.max(0, ...list)))
  for (let shard = 0; shard < shardCount; shard++) {
    const weight = slices.filter((slice) => slice.shard === shard).reduce((sum, slice) => sum + slice.weight, 0)
    expect(Math.abs(weight - total / shardCount)).toBeLessThanOrEqual(heaviest)
  }
}

describe('planShards', () => {
  it('covers every item exactly once, contiguously, with balanced weight (n = 1..5)', () => {
    for (const seed of [1, 2, 3]) {
      const weights = makeWeights(seed, [500, 37, 0, 1200, 5])
      for (let n = 1; n <= 5; n++) checkPlan(weights, n, planShards(weights, n))
    }
  })

  it('balances by weight, not by count', () => {
    const weights = [Float32Array.from({ length: 80 }, () => 1), Float32Array.from({ length: 10 }, () => 8)]
    const slices = planShards(weights, 2)
    // Total 160: the first shard takes the 80 images, the second the 10 videos.
    expect(slices.map(({ datasetIndex, start, end, shard }) => ({ datasetIndex, start, end, shard }))).toEqual([
      { datasetIndex: 0, start: 0, end: 80, shard: 0 },
      { datasetIndex: 1, start: 0, end: 10, shard: 1 },
    ])
  })

  it('leaves shards empty when there are fewer items than shards, and plans nothing for no items', () => {
    const slices = planShards([Float32Array.of(1, 1)], 5)
    expect(slices).toHaveLength(2)
    expect(new Set(slices.map((slice) => slice.shard)).size).toBe(2)
    expect(planShards([new Float32Array(0)], 3)).toEqual([])
    expect(() => planShards([], 0)).toThrow(RangeError)
  })
})
