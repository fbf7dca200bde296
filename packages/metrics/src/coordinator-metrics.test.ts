import { describe, expect, it } from 'vitest'
import { createCoordinatorMetrics, type CoordinatorSnapshot } from './coordinator-metrics.js'
import { parseExposition, series } from './parse-exposition.js'

describe('createCoordinatorMetrics', () => {
  it('serves outcomes over all workers and chunks by state, read at each scrape', async () => {
    const metrics = createCoordinatorMetrics({ pipeline: 'p' })
    const before = [...parseExposition(await metrics.scrape()).keys()]
    expect(before.filter((key) => key.startsWith('dataflow_items_total') || key.startsWith('dataflow_chunks'))).toEqual(
      [],
    )
    let snapshot: CoordinatorSnapshot = {
      progress: { ok: 10, rejected: 2, error: 1, interrupted: 0, total: 100 },
      chunks: { waiting: 6, active: 3, done: 1, failed: 0 },
    }
    metrics.attach(() => snapshot)
    const first = parseExposition(await metrics.scrape())
    expect(first.get(series('dataflow_items_total', { pipeline: 'p', outcome: 'ok' }))).toBe(10)
    expect(first.get(series('dataflow_items_total', { pipeline: 'p', outcome: 'rejected' }))).toBe(2)
    expect(first.get(series('dataflow_items_expected', { pipeline: 'p' }))).toBe(100)
    expect(first.get(series('dataflow_chunks', { pipeline: 'p', state: 'waiting' }))).toBe(6)
    expect(first.get(series('dataflow_chunks', { pipeline: 'p', state: 'active' }))).toBe(3)
    snapshot = {
      progress: { ok: 90, rejected: 5, error: 5, interrupted: 0 },
      chunks: { waiting: 0, active: 0, done: 9, failed: 1 },
    }
    const second = parseExposition(await metrics.scrape())
    expect(second.get(series('dataflow_items_total', { pipeline: 'p', outcome: 'ok' }))).toBe(90)
    expect(second.get(series('dataflow_chunks', { pipeline: 'p', state: 'failed' }))).toBe(1)
    expect(second.get(series('dataflow_chunks', { pipeline: 'p', state: 'done' }))).toBe(9)
  })
})
