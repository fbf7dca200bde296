import type { ChatRequest } from '@dataflow/sdk'
import { createFakeInference, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import aggregator from './index.js'

const note = (role: string, text: string) => ({ role, text, tokens: { prompt: 10, completion: 5 } })
const promptOf = (request: ChatRequest) => request.messages[0]?.content as string

describe('aggregator', () => {
  it('fuses the notes of the agents that ran, text only, with the general prompt', async () => {
    const inference = createFakeInference(() => 'A bar chart of sales by quarter.')
    const [outcome] = await runNode(aggregator, {
      inference,
      items: [
        {
          needs: ['media', 'route', 'perception', 'reasoning', 'guideline'],
          outputs: {
            media: { modality: 'image' },
            route: { domain: 'chart-math', decidedBy: 'model' },
            perception: note('structure-perception', 'Bars: Q1 10, Q2 12.'),
            reasoning: note('general-reasoning', 'Sales grow.'),
            guideline: note('visual-guideline', 'A bar chart.'),
          },
        },
      ],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: {
        caption: 'A bar chart of sales by quarter.',
        agents: ['structure-perception', 'general-reasoning', 'visual-guideline'],
        notes: {
          'structure-perception': 'Bars: Q1 10, Q2 12.',
          'general-reasoning': 'Sales grow.',
          'visual-guideline': 'A bar chart.',
        },
        failedAgents: [],
        tokens: { prompt: 0, completion: 0 },
      },
    })
    const request = inference.requests[0]!
    expect(request.model).toBe('llm')
    expect(typeof request.messages[0]?.content).toBe('string')
    const prompt = promptOf(request)
    expect(prompt).toContain('### Note 1: structure-perception (observation)\nBars: Q1 10, Q2 12.')
    expect(prompt).toContain('### Note 2: general-reasoning (interpretation)')
    expect(prompt).toContain('first an overview of what the image is')
    expect(prompt).not.toContain('{{')
    expect(prompt).not.toContain('failed')
  })

  it('records failed agents, tells the model what is missing, and ignores skipped ones', async () => {
    const inference = createFakeInference(() => 'Caption: An invoice from ACME.')
    const [outcome] = await runNode(aggregator, {
      inference,
      items: [
        {
          outputs: { layout: note('infographic-perception', 'Header with logo.') },
          statuses: { ocr: 'failed', coder: 'skipped' },
          needs: ['layout', 'ocr', 'coder'],
        },
      ],
    })
    expect(outcome).toMatchObject({
      status: 'done',
      output: {
        caption: 'An invoice from ACME.',
        agents: ['infographic-perception'],
        notes: { 'infographic-perception': 'Header with logo.' },
        failedAgents: ['ocr'],
      },
    })
    expect(promptOf(inference.requests[0]!)).toContain('These analyses failed and are missing: ocr.')
  })

  it('fails when no agent succeeded, naming the failed ones', async () => {
    const inference = createFakeInference(() => {
      throw new Error('no call expected')
    })
    const [outcome] = await runNode(aggregator, {
      inference,
      items: [{ statuses: { ocr: 'failed', coder: 'failed', ui: 'skipped' } }],
    })
    expect(outcome).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_NODE_FAILED', message: 'no agent output to summarise; failed: ocr, coder' },
    })
  })

  it('uses the video prompt for video items', async () => {
    const inference = createFakeInference(() => 'A man opens a door.')
    await runNode(aggregator, {
      inference,
      items: [
        {
          outputs: {
            media: { modality: 'video' },
            perception: note('video-perception', 'A man walks, then opens a door.'),
          },
        },
      ],
    })
    const prompt = promptOf(inference.requests[0]!)
    expect(prompt).toContain('description of a video clip')
    expect(prompt).toContain('events in chronological order')
  })

  it('takes an inline prompt override and refuses one without {{notes}}', async () => {
    const inference = createFakeInference(() => 'Short.')
    await runNode(aggregator, {
      inference,
      config: { prompt: 'Summarise in one line:\n{{notes}}' },
      items: [{ outputs: { a: note('ocr', 'STOP') } }],
    })
    expect(promptOf(inference.requests[0]!)).toBe('Summarise in one line:\n### Note 1: ocr (transcription)\nSTOP')
    await expect(runNode(aggregator, { config: { videoPrompt: 'Summarise the clip.' }, items: [] })).rejects.toThrow(
      /videoPrompt: the prompt has no \{\{notes\}\}/,
    )
  })

  it('reports an empty caption as invalid output', async () => {
    const [outcome] = await runNode(aggregator, {
      inference: createFakeInference(() => 'Caption:  '),
      items: [{ outputs: { a: note('ocr', 'x') } }],
    })
    expect(outcome).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_OUTPUT_INVALID', details: { raw: 'Caption:  ' } },
    })
  })
})
