import { afterEach, describe, expect, it } from 'vitest'
import { startFaultServer, takeContractViolations } from '../test-support/fault-server.js'
import { createTestService, fast } from '../test-support/test-service.js'
import { formatInferenceReport } from './format-inference-report.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  expect(takeContractViolations()).toEqual([])
})

describe('report and cost', () => {
  it('prices tokens, charges GPU busy time, and shares it across nodes by tokens', async () => {
    // A virtual clock: every request the server handles takes exactly 1 s of it.
    let clock = 0
    const server = await startFaultServer(() => {
      clock += 1000
      return { kind: 'ok', promptTokens: 1000, completionTokens: 500 }
    })
    const test = createTestService(
      {
        vlm: {
          baseURL: server.url,
          model: 'Qwen/VL',
          ...fast,
          prices: { inputPerMillion: 2, outputPerMillion: 8 },
          gpu: { count: 4, pricePerHour: 3 },
        },
        llm: { baseURL: server.url, model: 'Qwen/LLM', ...fast },
      },
      { now: () => clock },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    const ask = (node: string, model = 'vlm') =>
      test.client(node).chat({ model, messages: [{ role: 'user', content: node }] })
    await ask('route')
    for (let i = 0; i < 3; i++) await ask('ocr')
    await ask('summary', 'llm')
    const report = test.service.report()

    const vlm = report.models['vlm']!
    expect(vlm).toMatchObject({ requests: 4, promptTokens: 4000, completionTokens: 2000, busySeconds: 4 })
    // 4 s x 4 GPUs = 16 GPU-seconds.
    expect(vlm.gpuHours).toBeCloseTo(16 / 3600, 6)
    expect(vlm.cost.tokens).toEqual({ amount: (4000 * 2 + 2000 * 8) / 1e6, currency: 'USD' })
    expect(vlm.cost.gpu!.amount).toBeCloseTo((16 / 3600) * 3, 6)
    expect(report.nodes['route']!['vlm']!.cost.gpu!.amount).toBeCloseTo(vlm.cost.gpu!.amount / 4, 6)
    expect(report.nodes['ocr']!['vlm']!.cost.gpu!.amount).toBeCloseTo((vlm.cost.gpu!.amount * 3) / 4, 6)
    expect(report.nodes['summary']!['llm']!.cost).toEqual({})
    expect(report.cost.byTokens).toEqual({ USD: 0.024 })
    expect(report.cost.assumptions.join('\n')).toMatch(/busy time .* x 4 GPU\(s\) per replica x 3 USD per GPU-hour/)
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)

    const text = formatInferenceReport(report)
    expect(text).toContain('Inference by node and model')
    expect(text).toMatch(/ocr\s+vlm\s+3\s+0\s+0\s+0\s+0\s+3,000\s+1,500/)
    expect(text).toContain('Cost at token prices: 0.0240 USD; as GPU time: 0.0133 USD')
    expect(text).toContain('Assumptions:')
  })

  it('counts retries, cached answers and errors per node', async () => {
    const server = await startFaultServer((_request, index) =>
      index === 0 ? { kind: 'status', status: 500 } : { kind: 'status', status: 400 },
    )
    const test = createTestService({ vlm: { baseURL: server.url, model: 'm', ...fast } })
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await test
      .client('judge')
      .chat({ model: 'vlm', messages: [{ role: 'user', content: 'x' }] })
      .catch(() => undefined)
    const usage = test.service.report().nodes['judge']!['vlm']!
    expect(usage).toMatchObject({ requests: 1, attempts: 2, retries: 1, errors: { DATAFLOW_INFERENCE_REJECTED: 1 } })
    expect(formatInferenceReport(test.service.report())).toContain('vlm: 1 x DATAFLOW_INFERENCE_REJECTED')
  })
})
