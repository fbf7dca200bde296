import type { InferenceReport } from '@dataflow/inference'
import { describe, expect, it } from 'vitest'
import { formatProjection, projectionThreshold, projectRun } from './run-projection.js'

function inference(models: Record<string, { gpuHours?: number }>, byTokens = {}, byGpu = {}): InferenceReport {
  return {
    models: models as unknown as InferenceReport['models'],
    nodes: {},
    cost: { byTokens, byGpu, assumptions: [] },
  }
}

describe('projectRun', () => {
  it("scales this session's GPU-hours and cost per item to the whole input and gives the ETA of what is left", () => {
    const projection = projectRun({
      items: 1_000_000,
      done: 300,
      sessionItems: 100,
      sessionElapsedMs: 50_000,
      inference: inference({ vlm: { gpuHours: 0.5 }, llm: { gpuHours: 0.25 }, free: {} }, { USD: 0.2 }, { USD: 1.875 }),
    })
    expect(projection).toEqual({
      items: 1_000_000,
      done: 300,
      basedOn: { items: 100, elapsedMs: 50_000 },
      itemsPerSecond: 2,
      etaMs: ((1_000_000 - 300) / 2) * 1000,
      gpuHours: 7500,
      cost: { byTokens: { USD: 2000 }, byGpu: { USD: 18_750 } },
    })
    expect(formatProjection(projection)).toBe(
      'projection for the whole input: 1,000,000 items, 7,500 GPU-hours, 2,000 USD at token prices, 18,750 USD as GPU time, ETA 5 d 18 h (at 2 items/s, from the first 100 items of this session)',
    )
  })

  it('leaves out what it cannot know: the size of an input the source cannot count, GPU-hours without `gpu:`', () => {
    const projection = projectRun({
      items: undefined,
      done: 10,
      sessionItems: 10,
      sessionElapsedMs: 1000,
      inference: inference({ vlm: {} }),
    })
    expect(projection).toMatchObject({ items: undefined, etaMs: undefined, gpuHours: undefined, itemsPerSecond: 10 })
    expect(formatProjection(projection)).toBe(
      'projection for the whole input: input size unknown (at 10 items/s, from the first 10 items of this session)',
    )
  })

  it('is due after a tenth of the session, between 10 and 200 items', () => {
    expect(projectionThreshold(100)).toBe(10)
    expect(projectionThreshold(5)).toBe(10)
    expect(projectionThreshold(1500)).toBe(150)
    expect(projectionThreshold(5_000_000)).toBe(200)
    expect(projectionThreshold(undefined)).toBe(200)
  })
})
