import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli } from '../run-cli.js'
import { REPO, readJson, readJsonl, tempDir } from '../support.js'

const PIPELINE = join(REPO, 'pipelines/review-classifier.yaml')

type Label = { id: string; text: string; sentiment: string; topic: string; confidence: number; reply?: string }
type Dropped = { id: string; reason: string; spam: boolean }

describe('pipelines/review-classifier.yaml: text classification with the generic nodes only', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let llm: Simulator
  beforeAll(async () => {
    dir = await tempDir()
    // A low enum bias spreads the labels, so negative reviews (and their replies) occur.
    llm = await startSimulator({ port: 0, timeScale: 0.01, enumFirstProb: 0.3 })
  })
  afterAll(async () => {
    await llm.close()
    await dir.remove()
  })

  it('is three plugin nodes and no code', async () => {
    const pipeline = parse(await readFile(PIPELINE, 'utf8')) as { nodes: Record<string, { uses: string }> }
    expect(Object.values(pipeline.nodes).map((node) => node.uses)).toEqual([
      '@dataflow/plugin-llm',
      '@dataflow/plugin-keep',
      '@dataflow/plugin-llm',
    ])
  })

  it('labels every review, drops spam and unsure labels with the reason, and replies to complaints only', async () => {
    const out = join(dir.path, 'run')
    const result = await runCli(['run', PIPELINE, '--out', out, '--quiet'], { LLM_BASE_URL: llm.url })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const labels = await readJsonl<Label>(join(out, 'labels.jsonl'))
    const dropped = await readJsonl<Dropped>(join(out, 'dropped.jsonl'))
    const inputs = (await readFile(join(REPO, 'data/text/reviews.jsonl'), 'utf8')).trim().split('\n')
    expect([...labels, ...dropped].map((record) => record.id).sort()).toEqual(
      inputs.map((line) => (JSON.parse(line) as { id: string }).id).sort(),
    )
    expect(labels.length).toBeGreaterThan(0)
    expect(dropped.length).toBeGreaterThan(0)
    for (const label of labels) {
      expect(['positive', 'negative', 'mixed']).toContain(label.sentiment)
      expect(['product', 'delivery', 'support', 'price', 'other']).toContain(label.topic)
      expect(label.confidence).toBeGreaterThanOrEqual(2)
      // The reply node ran exactly for the negative reviews that were kept.
      if (label.sentiment === 'negative') expect(label.reply, label.id).toMatch(/^\[simulated\]/)
      else expect(label.reply, label.id).toBeUndefined()
    }
    for (const record of dropped) {
      expect(record.reason).toMatch(/^rejectIf "classify.spam or classify.confidence < 2" held \(classify.spam = /)
    }

    const report = await readJson<{
      outcomes: Record<string, number>
      inference: { nodes: Record<string, Record<string, { requests: number }>> }
    }>(join(out, 'report.json'))
    expect(report.outcomes).toEqual({ ok: labels.length, rejected: dropped.length, error: 0, interrupted: 0 })
    const negatives = labels.filter((label) => label.sentiment === 'negative').length
    expect(negatives).toBeGreaterThan(0)
    expect(report.inference.nodes['classify']!['llm']!.requests).toBe(inputs.length)
    expect(report.inference.nodes['reply']?.['llm']?.requests ?? 0).toBe(negatives)
  })

  it('names file:line:column when a rule reads a field the classifier does not write', async () => {
    const result = await runCli(['validate', PIPELINE, '--set', 'nodes.keep.with.rejectIf=classify.spamm'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/review-classifier\.yaml:\d+:\d+.*node "classify" does not write "spamm"/)
    expect(result.stderr).toMatch(/did you mean "spam"\?/)
  })
})
