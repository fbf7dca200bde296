import { describe, expect, it } from 'vitest'
import { FacetCounter, toFacetSpecs, toTextField } from './facets.js'
import { telemetryTestOutcome, telemetryTestPipeline } from './test-pipeline.js'

describe('facets', () => {
  const { nodes } = telemetryTestPipeline()

  it('finds string enums, objects of enums (scores per metric) and bounded numbers in what nodes write', () => {
    expect(toFacetSpecs(nodes).map((spec) => `${spec.path}:${spec.kind}`)).toEqual([
      'media.modality:category',
      'route.domain:category',
      'judge.verdict:category',
      'judge.scores.accuracy:category',
      'judge.scores.completeness:category',
      'judge.mean:number',
    ])
  })

  it('takes the caption from the deepest node declaring a plain string field', () => {
    expect(toTextField(nodes)).toEqual({ node: 'summary', key: 'caption' })
  })

  it('counts values per outcome, bins numbers, skips interrupted items and carries prior counts', () => {
    const counter = new FacetCounter(toFacetSpecs(nodes))
    counter.add(telemetryTestOutcome(0, 'ok', 'natural'))
    counter.add(telemetryTestOutcome(1, 'rejected', 'natural'))
    counter.add(telemetryTestOutcome(2, 'ok', 'chart'))
    counter.add({ ...telemetryTestOutcome(3, 'ok', 'chart'), outcome: 'interrupted' })
    const domain = counter.toJSON().find((facet) => facet.path === 'route.domain')!
    expect(domain).toMatchObject({ labels: ['natural', 'chart', 'document'], ok: [1, 1, 0], rejected: [1, 0, 0] })
    const mean = counter.toJSON().find((facet) => facet.path === 'judge.mean')!
    expect(mean.labels[0]).toBe('1-1.2')
    expect(mean.ok.at(-1)).toBe(2)
    expect(mean.rejected[2]).toBe(1)
    const resumed = new FacetCounter(toFacetSpecs(nodes), counter.toJSON())
    resumed.add(telemetryTestOutcome(4, 'ok', 'document'))
    expect(resumed.toJSON().find((facet) => facet.path === 'route.domain')!.ok).toEqual([1, 1, 1])
  })
})
