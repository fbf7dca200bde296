import { describe, expect, it } from 'vitest'
import { toFacetSpecs, toTextField } from './facets.js'
import { GALLERY_TEXT_CHARS, GallerySampler } from './gallery-sampler.js'
import { telemetryTestOutcome, telemetryTestPipeline } from './test-pipeline.js'

/** A seeded generator so that the sample is reproducible. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32
    return state / 2 ** 32
  }
}

describe('gallery sampler', () => {
  const { nodes } = telemetryTestPipeline()
  const create = (capacity = 4) =>
    new GallerySampler(toFacetSpecs(nodes), toTextField(nodes), seeded(7), undefined, capacity)

  it('keeps at most `capacity` kept and rejected items with media, facets, caption and the rejection', () => {
    const sampler = create()
    for (let sequence = 0; sequence < 1000; sequence++)
      sampler.add(
        telemetryTestOutcome(
          sequence,
          sequence % 3 === 0 ? 'rejected' : sequence % 7 === 0 ? 'error' : 'ok',
          'natural',
          'x'.repeat(2000),
        ),
      )
    const sample = sampler.toJSON()
    expect(sample.items.filter((item) => item.outcome === 'ok')).toHaveLength(4)
    expect(sample.items.filter((item) => item.outcome === 'rejected')).toHaveLength(4)
    expect(sample.seen.rejected).toBe(334)
    const rejected = sample.items.find((item) => item.outcome === 'rejected')!
    expect(rejected.media).toEqual({ kind: 'image', source: `/data/${rejected.sequence}.jpg` })
    expect(rejected.facets).toMatchObject({ 'route.domain': 'natural', 'judge.scores.completeness': 'Bad' })
    expect(rejected.text).toHaveLength(GALLERY_TEXT_CHARS)
    expect(rejected.rejection?.node).toBe('judge')
  })

  it('samples the whole run, not its beginning', () => {
    const sampler = create(24)
    for (let sequence = 0; sequence < 10_000; sequence++) sampler.add(telemetryTestOutcome(sequence, 'ok', 'natural'))
    const sequences = sampler.toJSON().items.map((item) => item.sequence)
    expect(sequences.filter((sequence) => sequence >= 5000).length).toBeGreaterThan(6)
    expect(sequences.filter((sequence) => sequence < 5000).length).toBeGreaterThan(6)
  })

  it('goes on from the sample of an earlier session', () => {
    const first = create()
    for (let sequence = 0; sequence < 3; sequence++) first.add(telemetryTestOutcome(sequence, 'ok', 'natural'))
    const second = new GallerySampler(toFacetSpecs(nodes), toTextField(nodes), seeded(1), first.toJSON(), 4)
    second.add(telemetryTestOutcome(3, 'ok', 'chart'))
    expect(second.toJSON().items.map((item) => item.id)).toEqual(['item-0', 'item-1', 'item-2', 'item-3'])
    expect(second.toJSON().seen.ok).toBe(4)
  })
})
