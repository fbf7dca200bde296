import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFakeInference, createFakeMedia, runNode } from '@dataflow/sdk/testing'
import type { ChatRequest, ContentPart, PreparedMedia } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import router from './index.js'

const image = await createFakeMedia().prepareImage('/data/cat.jpg')
const media: PreparedMedia = { modality: 'image', image, originalWidth: 448, originalHeight: 448 }
const imageItem = { outputs: { media } }
const textOf = (request: ChatRequest) =>
  ((request.messages[0]?.content ?? []) as ContentPart[])
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('')

describe('router', () => {
  it('uses the task without a model call, normalising aliases', async () => {
    const inference = createFakeInference(() => {
      throw new Error('no call expected')
    })
    const outcomes = await runNode(router, {
      inference,
      items: [
        { item: { task: 'Structure & Math' }, ...imageItem },
        { item: { task: 'natural' }, ...imageItem },
        { item: { task: 'Video & Temporal' } },
      ],
    })
    expect(outcomes.map((outcome) => outcome.status === 'done' && outcome.output)).toEqual([
      { domain: 'chart-math', decidedBy: 'task' },
      { domain: 'natural', decidedBy: 'task' },
      { domain: 'video', decidedBy: 'task' },
    ])
    expect(inference.requests).toHaveLength(0)
  })

  it('rejects an unknown task with an input error naming the accepted values', async () => {
    const [outcome] = await runNode(router, { items: [{ item: { task: 'Astronomy' }, ...imageItem }] })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
    expect(outcome?.status === 'error' && outcome.error.message).toContain(
      'natural, chart-math, document, medical, ui, code, knowledge, synthetic, video',
    )
  })

  it('sends video items to the video domain without a model call', async () => {
    const inference = createFakeInference(() => {
      throw new Error('no call expected')
    })
    const video = await createFakeMedia().prepareVideo('/data/clip.mp4')
    const [outcome] = await runNode(router, {
      inference,
      items: [{ outputs: { media: { modality: 'video', video, originalWidth: 448, originalHeight: 448 } } }],
    })
    expect(outcome).toEqual({ id: '0', status: 'done', output: { domain: 'video', decidedBy: 'modality' } })
  })

  it('asks the model with the image first and an enum of the domain keys', async () => {
    const inference = createFakeInference(() => ({ domain: 'code', confidence: 3, reason: 'an IDE' }))
    const [outcome] = await runNode(router, { inference, items: [imageItem] })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { domain: 'code', confidence: 3, decidedBy: 'model', reason: 'an IDE' },
    })
    const request = inference.requests[0] as ChatRequest & { schema: { properties: { domain: { enum: string[] } } } }
    const content = request.messages[0]?.content as ContentPart[]
    expect(content[0]).toEqual({ type: 'image', image })
    expect(request.schema.properties.domain.enum).toEqual([
      'natural',
      'chart-math',
      'document',
      'medical',
      'ui',
      'code',
      'knowledge',
      'synthetic',
    ])
    expect(textOf(request)).toContain(
      'An IDE, code editor, terminal or notebook whose main content is code is Code & Programming, not UI.',
    )
    expect(textOf(request)).not.toContain('{{')
    expect(request.model).toBe('vlm')
  })

  it('parses a messy text answer when structured output fails', async () => {
    const inference = createFakeInference(
      () => 'Sure! **Domain**: Structure & Math\nConfidence: 2 (a chart in a report)',
    )
    const [outcome] = await runNode(router, { inference, items: [imageItem] })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { domain: 'chart-math', confidence: 2, decidedBy: 'model' },
    })
    expect(outcome?.status === 'done' && outcome.output['raw']).toContain('Sure!')
  })

  it('falls back on an unknown answer and keeps the raw text', async () => {
    const inference = createFakeInference(() => 'Astronomy: a nebula? I cannot decide.')
    const [outcome] = await runNode(router, { inference, items: [imageItem], config: { fallback: 'synthetic' } })
    expect(outcome).toMatchObject({
      status: 'done',
      output: {
        domain: 'synthetic',
        decidedBy: 'fallback',
        fallback: true,
        raw: 'Astronomy: a nebula? I cannot decide.',
      },
    })
  })

  it('falls back when the confidence is below minConfidence', async () => {
    const inference = createFakeInference(() => ({ domain: 'ui', confidence: 1 }))
    const [outcome] = await runNode(router, { inference, items: [imageItem], config: { minConfidence: 2 } })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { domain: 'natural', confidence: 1, decidedBy: 'fallback', fallback: true },
    })
    expect(outcome?.status === 'done' && outcome.output['fallbackReason']).toMatch(
      /confidence 1, below minConfidence 2/,
    )
  })

  it('lets users edit the domains and the prompt (file relative to the pipeline)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'router-'))
    await writeFile(join(dir, 'route.md'), 'Pick one of {{keys}}.\n{{domains}}')
    const inference = createFakeInference(() => ({ domain: 'space', confidence: 2 }))
    const [outcome] = await runNode(router, {
      inference,
      baseDir: dir,
      items: [imageItem],
      config: {
        prompt: 'route.md',
        fallback: 'earth',
        domains: [
          { key: 'earth', name: 'Earth', description: 'Ground photos.' },
          { key: 'space', name: 'Space', description: 'Sky photos.' },
        ],
      },
    })
    expect(outcome).toMatchObject({ status: 'done', output: { domain: 'space', decidedBy: 'model' } })
    expect(textOf(inference.requests[0]!)).toBe(
      'Pick one of earth, space.\n- earth (Earth): Ground photos.\n- space (Space): Sky photos.',
    )
  })

  it('refuses a fallback that is not a domain at create time', async () => {
    await expect(runNode(router, { items: [], config: { fallback: 'astronomy' } })).rejects.toThrow(
      /fallback: "astronomy" is not one of the domains/,
    )
  })

  it('reports a missing media output as an input error', async () => {
    const [outcome] = await runNode(router, { items: [{ item: {} }] })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })
})

describe('router identity', () => {
  it('changes when the prompt or the domains change, so resumed runs recompute', async () => {
    const context = {
      nodeId: 'route',
      logger: {} as never,
      signal: new AbortController().signal,
      inference: createFakeInference(() => ''),
      media: createFakeMedia(),
      resolvePath: (path: string) => path,
      compileExpression: () => {
        throw new Error('not used')
      },
      stateDir: '',
    }
    const defaults = {
      model: 'vlm',
      media: 'media',
      aliases: {},
      taskField: 'item.task',
      modalityField: 'media.modality',
      fallback: 'natural',
      minConfidence: 1,
      maxTokens: 256,
      temperature: 0,
    }
    const identityOf = async (config: Record<string, unknown>) =>
      (
        await router.create(
          { ...defaults, domains: [{ key: 'natural', name: 'Natural', description: 'Photos.' }], ...config },
          context,
        )
      ).identity
    const base = await identityOf({})
    expect(await identityOf({})).toEqual(base)
    expect(await identityOf({ prompt: 'Choose one of {{keys}}:\n{{domains}}' })).not.toEqual(base)
    expect(
      await identityOf({ domains: [{ key: 'natural', name: 'Natural', description: 'Photographs.' }] }),
    ).not.toEqual(base)
  })
})
