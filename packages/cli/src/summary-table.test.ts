import { describe, expect, it } from 'vitest'
import { formatProgress } from './progress-line.js'
import { formatSummary } from './summary-table.js'

describe('terminal output', () => {
  it('shows done/total, rate, ETA and outcomes on the progress line', () => {
    expect(
      formatProgress({ total: 100, done: 25, ok: 20, rejected: 3, error: 2, interrupted: 0, elapsedMs: 5000 }),
    ).toBe('25/100 25%  5.0 items/s eta 15s  ok 20  rejected 3  errors 2')
    expect(
      formatProgress({ total: undefined, done: 3, ok: 3, rejected: 0, error: 0, interrupted: 0, elapsedMs: 0 }),
    ).toBe('3  0.0 items/s  ok 3  rejected 0  errors 0')
  })

  it('summarises outcomes, nodes, sinks and error codes', () => {
    const latency = { count: 1, mean: 1, p50: 12.4, p90: 1, p95: 40.6, p99: 1, max: 1 }
    const text = formatSummary({
      pipeline: { name: 'demo', file: '/p.yaml' },
      runDir: '/runs/demo',
      status: 'completed',
      startedAt: '',
      finishedAt: '',
      wallMs: 2500,
      input: 3,
      expected: 3,
      outcomes: { ok: 1, rejected: 1, error: 1, interrupted: 0 },
      errorRate: 1 / 3,
      itemsPerSecond: 1.2,
      errorsByCode: { DATAFLOW_MEDIA_INVALID: 1 },
      sinks: { captions: 1 },
      nodes: {
        media: { done: 2, skipped: 0, failed: 0, rejected: 0, error: 1, cancelled: 0, reused: 0, latencyMs: latency },
      },
      inference: { models: {}, nodes: {}, cost: { byTokens: {}, byGpu: { USD: 0.03 }, assumptions: [] } },
      media: undefined,
    })
    expect(text).toContain('run "demo" completed in 2.5 s -> /runs/demo')
    expect(text).toContain('items 3: ok 1, rejected 1, error 1, interrupted 0 (1.2 items/s)')
    expect(text).toMatch(/media\s+2\s+0\s+0\s+0\s+1\s+0\s+0\s+12\s+41/)
    expect(text).toContain('sinks: captions 1')
    expect(text).toContain('errors by code: DATAFLOW_MEDIA_INVALID 1')
    expect(text).toContain('cost per 100 items: 1.0000 USD as GPU time')
  })
})
