import type { ItemOutcome, RunHooks } from '@dataflow/core'
import type { RequestEvent } from '@dataflow/inference'
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api'

/** The pipeline as the spans name it. */
export interface TracedPipeline {
  name: string
  nodes: ReadonlyArray<{ id: string; uses: string }>
}

export interface RunTracingOptions {
  pipeline: TracedPipeline
  tracer: Tracer
  /** Epoch milliseconds now (default `performance.timeOrigin + performance.now()`). */
  now?: () => number
  /** Epoch milliseconds of the inference service clock's 0 (default `performance.timeOrigin`). */
  serviceClockOrigin?: number
}

/** A node call that ran, as the executor reported it when it ended. */
interface NodeCall {
  index: number
  event: string
  endAt: number
  elapsedMs: number
}

interface PendingItem {
  calls: NodeCall[]
  requests: RequestEvent[]
}

const RAN = new Set(['done', 'failed', 'rejected', 'error'])

/**
 * Run hooks that emit one span per item, a child span per node call that ran, and under it one
 * CLIENT span per model request following the GenAI semantic conventions. The executor and the
 * inference layer report each of these when it ends, so an item's events are kept (a few per
 * node, for the items in flight only) and its spans are written, with their real start and end
 * times, when the item gets its outcome.
 */
export function createRunTracing(options: RunTracingOptions): RunHooks {
  const { pipeline, tracer } = options
  const now = options.now ?? (() => performance.timeOrigin + performance.now())
  const origin = options.serviceClockOrigin ?? performance.timeOrigin
  const pending = new Map<number, PendingItem>()
  const itemOf = (sequence: number) => {
    let item = pending.get(sequence)
    if (!item) pending.set(sequence, (item = { calls: [], requests: [] }))
    return item
  }

  const writeRequest = (request: RequestEvent, parent: Span) => {
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': request.requestModel,
      'gen_ai.usage.input_tokens': request.promptTokens,
      'gen_ai.usage.output_tokens': request.completionTokens,
      'dataflow.model': request.model,
      'dataflow.request.attempts': request.attempts,
      'dataflow.request.cached': request.cached,
    }
    if (request.responseModel !== undefined) attributes['gen_ai.response.model'] = request.responseModel
    if (request.finishReason !== undefined) attributes['gen_ai.response.finish_reasons'] = [request.finishReason]
    if (request.errorCode !== undefined) attributes['error.type'] = request.errorCode
    const span = tracer.startSpan(
      `chat ${request.requestModel}`,
      { kind: SpanKind.CLIENT, startTime: origin + request.startMs, attributes },
      trace.setSpan(ROOT_CONTEXT, parent),
    )
    if (request.errorCode !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: request.errorCode })
    span.end(origin + request.startMs + request.durationMs)
  }

  const writeItem = (outcome: ItemOutcome, itemMs: number, item: PendingItem | undefined) => {
    const endAt = now()
    const root = tracer.startSpan(
      `item ${pipeline.name}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: endAt - itemMs,
        attributes: {
          'dataflow.pipeline': pipeline.name,
          'dataflow.item.id': outcome.id,
          'dataflow.item.sequence': outcome.sequence,
          'dataflow.item.outcome': outcome.outcome,
        },
      },
      ROOT_CONTEXT,
    )
    if (outcome.outcome === 'error')
      root.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error?.error.code ?? 'error' })
    const inRoot = trace.setSpan(ROOT_CONTEXT, root)
    const byNode = new Map<string, Span>()
    for (const call of item?.calls ?? []) {
      const node = pipeline.nodes[call.index]
      if (!node) continue
      const span = tracer.startSpan(
        `node ${node.id}`,
        {
          kind: SpanKind.INTERNAL,
          startTime: call.endAt - call.elapsedMs,
          attributes: {
            'dataflow.node.id': node.id,
            'dataflow.node.uses': node.uses,
            'dataflow.node.event': call.event,
          },
        },
        inRoot,
      )
      if (call.event === 'failed' || call.event === 'error') span.setStatus({ code: SpanStatusCode.ERROR })
      byNode.set(node.id, span)
      // Ended after its requests are written: a backend sees children inside their parent.
    }
    for (const request of item?.requests ?? []) writeRequest(request, byNode.get(request.node) ?? root)
    for (const call of item?.calls ?? []) byNode.get(pipeline.nodes[call.index]?.id ?? '')?.end(call.endAt)
    root.end(endAt)
  }

  return {
    run: {
      node(sequence, index, event, elapsedMs) {
        if (RAN.has(event)) itemOf(sequence).calls.push({ index, event, endAt: now(), elapsedMs })
      },
      outcome(outcome, itemMs) {
        const item = pending.get(outcome.sequence)
        pending.delete(outcome.sequence)
        writeItem(outcome, itemMs, item)
      },
    },
    inference: {
      request(event) {
        itemOf(event.sequence).requests.push(event)
      },
    },
  }
}
