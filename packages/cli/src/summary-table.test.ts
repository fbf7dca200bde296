import { describe, expect, it } from 'vitest'
import { formatProgress } from './progress-line.js'
import { formatCompactInference } from './compact-inference.js'
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
      outputs: { captions: ['captions.jsonl'] },
      nodes: {
        media: { done: 2, skipped: 0, failed: 0, rejected: 0, error: 1, cancelled: 0, reused: 0, latencyMs: latency },
      },
      inference: { models: {}, nodes: {}, cost: { byTokens: {}, byGpu: { USD: 0.03 }, assumptions: [] } },
      media: undefined,
    })
    expect(text).toContain('run "demo" completed in 2.5 s -> /runs/demo')
    expect(text).toContain('items 3: ok 1, rejected 1, error 1, interrupted 0 (1.2 items/s)')
    // node ok skipped rejected failed (failed + error) not-reached p50 p95
    expect(text).toMatch(/media\s+2\s+0\s+0\s+1\s+0\s+12\s+41/)
    expect(text).toContain('not reached: the item ended')
    expect(text).toContain('sinks: captions 1')
    expect(text).toContain('errors by code: DATAFLOW_MEDIA_INVALID 1')
    expect(text).toContain('cost per 100 items: 1.0000 USD as GPU time')
  })

  it('fits 100 columns for a CapFlow-sized run; --wide prints the full tables', () => {
    const latency = { count: 1, mean: 1, p50: 1234.4, p90: 1, p95: 40123.6, p99: 1, max: 1 }
    const node = {
      done: 123456,
      skipped: 23456,
      failed: 12,
      rejected: 34567,
      error: 3,
      cancelled: 456,
      reused: 7890,
      latencyMs: latency,
    }
    const limit = { initial: 256, current: 211, min: 64, max: 256, floor: 1, ceiling: 256, decreases: 3 }
    const usage = {
      requests: 1234567,
      attempts: 1234600,
      retries: 33,
      reasks: 2,
      promptTokens: 1234567890,
      completionTokens: 123456789,
      cachedAnswers: 12345,
      savedPromptTokens: 0,
      savedCompletionTokens: 0,
      errors: { DATAFLOW_INFERENCE_TIMEOUT: 3 },
      latencyMs: latency,
    }
    const model = {
      ...usage,
      servedModel: 'Qwen/Qwen2.5-VL-72B-Instruct-AWQ-very-long-name',
      busySeconds: 12345.6,
      cost: { gpu: { amount: 123.4567, currency: 'USD' } },
      endpoints: [
        {
          host: 'gpu-node-17.cluster.example.org:8000',
          busySeconds: 12345.6,
          pool: { peakInFlight: 256, peakQueued: 900, admitted: 1234600, pauses: 0, inFlight: 0, queued: 0 },
          limit,
          breaker: { state: 'closed', opens: 0 },
          attemptLatencyMs: latency,
        },
      ],
    }
    const report = {
      pipeline: { name: 'capflow', file: '/p.yaml' },
      runDir: '/data/runs/capflow-20261206-120000',
      status: 'completed',
      startedAt: '',
      finishedAt: '',
      wallMs: 3_600_000,
      input: 200000,
      expected: 200000,
      outcomes: { ok: 160000, rejected: 34567, error: 5433, interrupted: 0 },
      errorRate: 0.027,
      itemsPerSecond: 55.55,
      errorsByCode: { DATAFLOW_MEDIA_INVALID: 5000, DATAFLOW_INFERENCE_TIMEOUT: 433 },
      sinks: { captions: 160000, rejected: 34567, training: 160000 },
      nodes: { 'infographic-perception': node, 'a-very-long-node-identifier-indeed': node, judge: node },
      inference: {
        models: { vlm: model, llm: model },
        nodes: { judge: { vlm: { ...usage, cost: {} } } },
        cost: {
          byTokens: {},
          byGpu: { USD: 246.9134 },
          assumptions: [
            'vlm: GPU cost = busy time (wall time with at least one request of this model in flight, per replica; 1 replica(s)) x 4 GPU(s) per replica x 2.5 USD per GPU-hour; idle time is not charged; shared across nodes by their share of prompt+completion tokens.',
          ],
        },
      },
      media: undefined,
    } as never
    const compact = formatSummary(report, ['', formatCompactInference((report as { inference: never }).inference)])
    const widest = Math.max(...compact.split('\n').map((line) => line.length))
    expect(widest).toBeLessThanOrEqual(100)
    expect(compact).toContain('Models')
    expect(compact).toContain('1,234,567')
    expect(compact).toContain('211 (64-256)')
    const wide = formatSummary(report, [], true)
    expect(wide).toMatch(/judge\s+123456\s+23456\s+12\s+34567\s+3\s+456\s+7890/)
  })
})
