import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, runCli } from './run-cli.js'
import { readJson, tempDir } from './support.js'

interface OtlpValue {
  stringValue?: string
  intValue?: string | number
  boolValue?: boolean
  arrayValue?: { values: OtlpValue[] }
}
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: Array<{ key: string; value: OtlpValue }>
  status?: { code?: number }
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: OtlpValue }> }
    scopeSpans: Array<{ spans: OtlpSpan[] }>
  }>
}

const plain = (value: OtlpValue): unknown =>
  value.arrayValue
    ? value.arrayValue.values.map(plain)
    : (value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue)))
const attributesOf = (span: { attributes: Array<{ key: string; value: OtlpValue }> }) =>
  Object.fromEntries(span.attributes.map(({ key, value }) => [key, plain(value)]))

/** An OTLP/HTTP JSON trace receiver in this process, as a collector would be. */
async function startReceiver(): Promise<{ url: string; requests: OtlpRequest[]; server: Server }> {
  const requests: OtlpRequest[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') requests.push(JSON.parse(body) as OtlpRequest)
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
}

describe('OpenTelemetry spans when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  let sim: Simulator
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01 })
    receiver = await startReceiver()
    dir = await tempDir()
  })
  afterAll(async () => {
    await sim.close()
    await new Promise((resolve) => receiver.server.close(resolve))
    await dir.remove()
  })

  it('exports item > node > chat spans with the GenAI attributes, one chat span per request of report.json', async () => {
    const out = join(dir.path, 'run')
    const result = await runCli(
      ['run', join(FIXTURES, 'three-nodes.yaml'), '--out', out, '--quiet', '--max-error-rate', '1'],
      {
        LLM_BASE_URL: sim.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'dataflow-e2e',
      },
    )
    expect(result.code, result.stderr).toBe(0)
    const report = await readJson<{
      input: number
      outcomes: Record<string, number>
      nodes: Record<string, { done: number; failed: number; error: number; rejected: number }>
      inference: { models: Record<string, { requests: number; promptTokens: number; completionTokens: number }> }
    }>(join(out, 'report.json'))

    expect(receiver.requests.length).toBeGreaterThan(0)
    const resource = attributesOf(receiver.requests[0]!.resourceSpans[0]!.resource)
    expect(resource).toMatchObject({ 'service.name': 'dataflow-e2e', 'dataflow.pipeline': 'fixture-three' })
    const spans = receiver.requests.flatMap((request) =>
      request.resourceSpans.flatMap((resourceSpans) => resourceSpans.scopeSpans.flatMap((scope) => scope.spans)),
    )
    const byId = new Map(spans.map((span) => [span.spanId, span]))
    const items = spans.filter((span) => span.name === 'item fixture-three')
    expect(items).toHaveLength(report.input)
    expect(items.filter((span) => attributesOf(span)['dataflow.item.outcome'] === 'error')).toHaveLength(
      report.outcomes['error']!,
    )
    for (const [node, counts] of Object.entries(report.nodes))
      expect(
        spans.filter((span) => span.name === `node ${node}`),
        node,
      ).toHaveLength(counts.done + counts.failed + counts.error + counts.rejected)

    const chats = spans.filter((span) => span.name.startsWith('chat '))
    const llm = report.inference.models['llm']!
    expect(chats).toHaveLength(llm.requests)
    let input = 0
    let output = 0
    for (const chat of chats) {
      const attributes = attributesOf(chat)
      expect(chat.kind).toBe(3) // SPAN_KIND_CLIENT
      expect(attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'test-llm',
        'gen_ai.response.finish_reasons': [expect.any(String)],
      })
      input += attributes['gen_ai.usage.input_tokens'] as number
      output += attributes['gen_ai.usage.output_tokens'] as number
      const node = byId.get(chat.parentSpanId!)!
      expect(node.name).toBe('node summary')
      const item = byId.get(node.parentSpanId!)!
      expect(item.name).toBe('item fixture-three')
      expect(item.traceId).toBe(chat.traceId)
    }
    expect(input).toBe(llm.promptTokens)
    expect(output).toBe(llm.completionTokens)
  })
})
