import { describe, expect, it } from 'vitest'
import { parseExposition, series } from './parse-exposition.js'

describe('parseExposition', () => {
  it('keys samples by name and sorted labels, skipping comments', () => {
    const samples = parseExposition(
      [
        '# HELP dataflow_items_total Items.',
        '# TYPE dataflow_items_total counter',
        'dataflow_items_total{outcome="ok",pipeline="p"} 12',
        'dataflow_node_latency_seconds_bucket{pipeline="p",node="a b",le="+Inf"} 3',
        'dataflow_items_expected 1e3',
        '',
      ].join('\n'),
    )
    expect(samples.get(series('dataflow_items_total', { pipeline: 'p', outcome: 'ok' }))).toBe(12)
    expect(
      samples.get(series('dataflow_node_latency_seconds_bucket', { le: '+Inf', node: 'a b', pipeline: 'p' })),
    ).toBe(3)
    expect(samples.get(series('dataflow_items_expected'))).toBe(1000)
    expect(samples.size).toBe(3)
  })
  it('refuses a line that is not a sample', () => {
    expect(() => parseExposition('dataflow_items_total{outcome="ok"}')).toThrow(/not an exposition line/)
  })
})
