import type { ItemOutcome } from '@dataflow/core'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'
import { createRunTracing } from './run-tracing.js'

const pipeline = {
  name: 'captions',
  nodes: [
    { id: 'media', uses: '@dataflow/plugin-media' },
    { id: 'caption', uses: '@dataflow/plugin-llm' },
    { id: 'judge', uses: '@dataflow/plugin-llm' },
  ],
}

const outcome = (sequence: number, kind: ItemOutcome['outcome']): ItemOutcome =>
  ({
    id: `item-${sequence}`,
    sequence,
    outcome: kind,
    item: {},
    outputs: {},
    nodes: {},
    metrics: {},
  }) as unknown as ItemOutcome

function setup() {
  const exporter = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
  let clock = 10_000
  const hooks = createRunTracing({
    pipeline,
    tracer: provider.getTracer('test'),
    now: () => clock,
    serviceClockOrigin: 1_000,
  })
  return { exporter, hooks, advance: (ms: number) => (clock += ms) }
}

describe('createRunTracing', () => {
  it('writes item > node > chat spans with the GenAI attributes and real times', () => {
    const { exporter, hooks, advance } = setup()
    // Item 7: media (no request), caption (one request, retried once), judge (failed request); judge skipped for item 8.
    advance(50)
    hooks.run!.node!(7, 0, 'done', 50)
    hooks.inference!.request!({
      node: 'caption',
      sequence: 7,
      model: 'vlm',
      requestModel: 'Qwen/Qwen2.5-VL-7B-Instruct',
      responseModel: 'Qwen/Qwen2.5-VL-7B-Instruct',
      startMs: 9_060,
      durationMs: 400,
      attempts: 2,
      cached: false,
      promptTokens: 812,
      completionTokens: 96,
      finishReason: 'stop',
    })
    advance(460)
    hooks.run!.node!(7, 1, 'done', 450)
    hooks.inference!.request!({
      node: 'judge',
      sequence: 7,
      model: 'llm',
      requestModel: 'judge-model',
      startMs: 9_520,
      durationMs: 30,
      attempts: 3,
      cached: false,
      promptTokens: 0,
      completionTokens: 0,
      errorCode: 'DATAFLOW_INFERENCE_UNAVAILABLE',
    })
    advance(40)
    hooks.run!.node!(7, 2, 'error', 35)
    hooks.run!.node!(8, 2, 'skipped', 0)
    hooks.run!.outcome!(outcome(7, 'error'), 560)

    const spans = exporter.getFinishedSpans()
    expect(spans.map((span) => span.name).sort()).toEqual([
      'chat Qwen/Qwen2.5-VL-7B-Instruct',
      'chat judge-model',
      'item captions',
      'node caption',
      'node judge',
      'node media',
    ])
    const byName = new Map(spans.map((span) => [span.name, span]))
    const item = byName.get('item captions')!
    const caption = byName.get('node caption')!
    const chat = byName.get('chat Qwen/Qwen2.5-VL-7B-Instruct')!
    const failed = byName.get('chat judge-model')!
    expect(item.parentSpanContext).toBeUndefined()
    expect(item.attributes).toMatchObject({ 'dataflow.item.id': 'item-7', 'dataflow.item.outcome': 'error' })
    expect(item.status.code).toBe(SpanStatusCode.ERROR)
    for (const node of ['node media', 'node caption', 'node judge'])
      expect(byName.get(node)!.parentSpanContext?.spanId, node).toBe(item.spanContext().spanId)
    expect(caption.attributes).toMatchObject({
      'dataflow.node.uses': '@dataflow/plugin-llm',
      'dataflow.node.event': 'done',
    })
    expect(chat.parentSpanContext?.spanId).toBe(caption.spanContext().spanId)
    expect(failed.parentSpanContext?.spanId).toBe(byName.get('node judge')!.spanContext().spanId)
    expect(chat.kind).toBe(SpanKind.CLIENT)
    expect(chat.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'Qwen/Qwen2.5-VL-7B-Instruct',
      'gen_ai.response.model': 'Qwen/Qwen2.5-VL-7B-Instruct',
      'gen_ai.usage.input_tokens': 812,
      'gen_ai.usage.output_tokens': 96,
      'gen_ai.response.finish_reasons': ['stop'],
      'dataflow.model': 'vlm',
      'dataflow.request.attempts': 2,
      'dataflow.request.cached': false,
    })
    expect(failed.attributes['error.type']).toBe('DATAFLOW_INFERENCE_UNAVAILABLE')
    expect(failed.status.code).toBe(SpanStatusCode.ERROR)
    // Times: the service clock shifted by its origin; node and item spans end when reported.
    const ms = (time: [number, number]) => time[0] * 1000 + time[1] / 1e6
    expect(ms(chat.startTime)).toBeCloseTo(10_060, 3)
    expect(ms(chat.endTime)).toBeCloseTo(10_460, 3)
    expect(ms(caption.startTime)).toBeCloseTo(10_060, 3)
    expect(ms(caption.endTime)).toBeCloseTo(10_510, 3)
    expect(ms(item.startTime)).toBeCloseTo(9_990, 3)
    expect(ms(item.endTime)).toBeCloseTo(10_550, 3)
  })

  it('keeps nothing once an item is written, and writes skipped or reused nodes as no span', () => {
    const { exporter, hooks } = setup()
    hooks.run!.node!(1, 0, 'reused', 0)
    hooks.run!.node!(1, 1, 'skipped', 0)
    hooks.run!.outcome!(outcome(1, 'ok'), 5)
    hooks.run!.outcome!(outcome(1, 'ok'), 5)
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['item captions', 'item captions'])
  })
})
