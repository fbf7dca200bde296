import type { ChatRequest, ContentPart, PreparedMedia } from '@dataflow/sdk'
import { createFakeInference, createFakeMedia, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import filter from './index.js'

const fakeMedia = createFakeMedia()
const image = await fakeMedia.prepareImage('/data/dog.jpg')
const video = await fakeMedia.prepareVideo('/data/clip.mp4')
const imageItem = {
  outputs: {
    media: { modality: 'image', image, originalWidth: 448, originalHeight: 448 } satisfies PreparedMedia,
    summary: { caption: 'A brown dog on grass.' },
  },
}
const videoItem = {
  outputs: {
    media: { modality: 'video', video, originalWidth: 448, originalHeight: 448 } satisfies PreparedMedia,
    summary: { caption: 'A dog runs, then sits.' },
  },
}
const IMAGE_KEYS = ['factualAccuracy', 'informationCompleteness', 'reasoningRigor', 'intentCapture', 'professionalism']

/** A judge that rates every metric of the request's schema, with overrides. */
function judge(overrides: Record<string, string> = {}) {
  return createFakeInference((request) => {
    const keys = (request as ChatRequest & { schema: { required: string[] } }).schema.required
    return Object.fromEntries(
      keys.map((key) => [key, { reason: `${key} checked`, rating: overrides[key] ?? 'Excellent' }]),
    )
  })
}
const schemaOf = (request: ChatRequest) =>
  (request as ChatRequest & { schema: { required: string[]; properties: Record<string, unknown> } }).schema
const textOf = (request: ChatRequest) =>
  (request.messages[0]?.content as ContentPart[]).flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')

describe('filter', () => {
  it('keeps an all-Excellent caption, judging with the image first and a schema built from the metrics', async () => {
    const inference = judge()
    const [outcome] = await runNode(filter, { inference, items: [imageItem] })
    expect(outcome).toMatchObject({
      status: 'done',
      output: {
        verdict: 'keep',
        mean: 3,
        scores: { factualAccuracy: 'Excellent' },
        numeric: { professionalism: 3 },
        reasons: { reasoningRigor: 'reasoningRigor checked' },
      },
    })
    const request = inference.requests[0]!
    expect((request.messages[0]?.content as ContentPart[])[0]).toEqual({ type: 'image', image })
    expect(schemaOf(request).required).toEqual(IMAGE_KEYS)
    expect(textOf(request)).toContain('<<<CAPTION\nA brown dog on grass.\nCAPTION>>>')
    expect(textOf(request)).not.toContain('{{')
  })

  it('rejects with the default rule when one metric is Good, keeping scores and the reason', async () => {
    const [outcome] = await runNode(filter, { inference: judge({ factualAccuracy: 'Good' }), items: [imageItem] })
    expect(outcome).toMatchObject({
      status: 'rejected',
      reason: 'caption below the keep rule: factualAccuracy Good < Excellent',
      details: { rule: 'all-excellent', scores: { factualAccuracy: 'Good', professionalism: 'Excellent' } },
      output: {
        verdict: 'reject',
        numeric: { factualAccuracy: 2 },
        mean: 2.8,
        reasons: { factualAccuracy: 'factualAccuracy checked' },
      },
    })
  })

  it('applies minEach, per-metric minScore (numbers or names) and minMean together', async () => {
    const keep = { minEach: 'Good', minScore: { factualAccuracy: 3 }, minMean: 2.5 }
    const ratings = [
      { professionalism: 'Good', intentCapture: 'Good' },
      { factualAccuracy: 'Good' },
      { professionalism: 'Bad' },
      { professionalism: 'Good', intentCapture: 'Good', reasoningRigor: 'Good' },
    ]
    const outcomes = await Promise.all(
      ratings.map((overrides) =>
        runNode(filter, { inference: judge(overrides), config: { keep }, items: [imageItem] }),
      ),
    )
    expect(outcomes.map(([outcome]) => (outcome?.status === 'rejected' ? outcome.reason : outcome?.status))).toEqual([
      'done',
      'caption below the keep rule: factualAccuracy Good < Excellent',
      'caption below the keep rule: professionalism Bad < Good',
      'caption below the keep rule: mean 2.4 < 2.5',
    ])
  })

  it('judges video with the video metrics and frames', async () => {
    const inference = judge({ coreIntent: 'Bad' })
    const [outcome] = await runNode(filter, {
      inference,
      config: { keep: { minScore: { factualAccuracy: 3 } } },
      items: [videoItem],
    })
    expect(schemaOf(inference.requests[0]!).required).toEqual([
      'temporalFactualAccuracy',
      'eventDetailCoverage',
      'temporalCausalLogic',
      'coreIntent',
      'professionalism',
    ])
    expect((inference.requests[0]!.messages[0]?.content as ContentPart[])[0]).toEqual({ type: 'video', video })
    expect(textOf(inference.requests[0]!)).toMatch(/^The images above are 8 frames/)
    // factualAccuracy is an image metric: the rule does not apply to video
    expect(outcome).toMatchObject({ status: 'done', output: { verdict: 'keep', scores: { coreIntent: 'Bad' } } })
  })

  it('builds the schema from custom metrics and can drop reasons', async () => {
    const inference = createFakeInference(() => ({ clarity: 'Good', safety: 'Excellent' }))
    const metrics = {
      image: [
        { key: 'clarity', name: 'Clarity', description: 'Easy to read.' },
        { key: 'safety', name: 'Safety', description: 'No personal data.' },
      ],
    }
    const [outcome] = await runNode(filter, {
      inference,
      config: { metrics, reasons: false, keep: { minMean: 2.5 } },
      items: [imageItem],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: {
        verdict: 'keep',
        scores: { clarity: 'Good', safety: 'Excellent' },
        numeric: { clarity: 2, safety: 3 },
        mean: 2.5,
        tokens: { prompt: 0, completion: 0 },
      },
    })
    expect(schemaOf(inference.requests[0]!).properties['clarity']).toEqual({
      type: 'string',
      enum: ['Excellent', 'Good', 'Bad'],
    })
  })

  it('refuses rules naming unknown metrics, empty rules and bad levels', async () => {
    await expect(runNode(filter, { config: { keep: { minScore: { accuracy: 3 } } }, items: [] })).rejects.toThrow(
      /unknown metric accuracy/,
    )
    await expect(runNode(filter, { config: { keep: {} }, items: [] })).rejects.toThrow(/invalid config/)
    await expect(runNode(filter, { config: { keep: { minEach: 4 } }, items: [] })).rejects.toThrow(/invalid config/)
    await expect(runNode(filter, { config: { keep: 'most' }, items: [] })).rejects.toThrow(/invalid config/)
  })

  it('reports an answer that does not match the schema, and a missing caption', async () => {
    const [invalid] = await runNode(filter, {
      inference: createFakeInference(() => ({ factualAccuracy: 'Great' })),
      items: [imageItem],
    })
    expect(invalid).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_OUTPUT_INVALID' } })
    const [missing] = await runNode(filter, {
      inference: judge(),
      items: [{ outputs: { media: imageItem.outputs.media } }],
    })
    expect(missing).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })
})
