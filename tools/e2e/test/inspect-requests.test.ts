import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { readJson, tempDir } from './support.js'

interface Usage {
  requests: number
  reasks: number
  promptTokens: number
  completionTokens: number
  cachedAnswers: number
  errors: Record<string, number>
}

describe('dataflow inspect counts requests as report.json does', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    // Server errors with no retries (failed requests) and a 12-token budget for a JSON answer (re-asks).
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.01, faults: { errorRate: 0.2 } })
    dir = await tempDir()
    const items = Array.from({ length: 40 }, (_, index) => ({ id: `r${index}`, text: `review number ${index}` }))
    await writeFile(join(dir.path, 'items.jsonl'), items.map((item) => JSON.stringify(item)).join('\n'))
    await writeFile(
      join(dir.path, 'pipeline.yaml'),
      [
        'version: 1',
        'name: inspect-counts',
        'models:',
        '  llm: { baseURL: "${LLM_BASE_URL}", model: test-llm, retries: 0 }',
        'source: { uses: "@dataflow/plugin-source-jsonl", with: { path: items.jsonl } }',
        'nodes:',
        '  tag:',
        '    uses: "@dataflow/plugin-llm"',
        '    with:',
        '      model: llm',
        '      prompt: "Label this review: {{item.text}}"',
        '      maxTokens: 12',
        '      schema: { type: object, properties: { label: { type: string }, reason: { type: string } }, required: [label, reason] }',
        '  note:',
        '    uses: "@dataflow/plugin-llm"',
        '    needs: [tag]',
        '    with: { model: llm, prompt: "Say why: {{tag.label}}", maxTokens: 8 }',
        'sinks:',
        '  out: { uses: "@dataflow/plugin-sink-jsonl", with: { path: out.jsonl }, select: { id: id, label: tag.label } }',
      ].join('\n'),
    )
  })
  afterAll(async () => {
    await sim.close()
    await dir.remove()
  })

  it('failed requests and structured-output re-asks included, per node', async () => {
    const out = join(dir.path, 'run')
    const run = await runCli(
      ['run', join(dir.path, 'pipeline.yaml'), '--out', out, '--quiet', '--max-error-rate', '1'],
      {
        LLM_BASE_URL: sim.url,
      },
    )
    expect(run.code, run.stderr).toBe(0)
    const report = await readJson<{ inference: { nodes: Record<string, Record<string, Usage>> } }>(
      join(out, 'report.json'),
    )
    const tag = report.inference.nodes['tag']!['llm']!
    // The run has what inspect used to miss: re-asks and failed requests.
    expect(tag.reasks).toBeGreaterThan(0)
    expect(Object.values(tag.errors).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0)

    const inspected = await runCli(['inspect', out, '--json'])
    expect(inspected.code, inspected.stderr).toBe(0)
    const { nodes } = JSON.parse(inspected.stdout) as {
      nodes: Array<{ node: string; requests: number; promptTokens: number; completionTokens: number; cached: number }>
    }
    for (const [node, byModel] of Object.entries(report.inference.nodes)) {
      const usage = Object.values(byModel)
      const row = nodes.find((entry) => entry.node === node)!
      expect(row.requests, node).toBe(usage.reduce((sum, model) => sum + model.requests, 0))
      expect(row.promptTokens, node).toBe(usage.reduce((sum, model) => sum + model.promptTokens, 0))
      expect(row.completionTokens, node).toBe(usage.reduce((sum, model) => sum + model.completionTokens, 0))
      expect(row.cached, node).toBe(usage.reduce((sum, model) => sum + model.cachedAnswers, 0))
    }
  })
})
