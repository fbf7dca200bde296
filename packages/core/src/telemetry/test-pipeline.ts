import type { JsonSchema } from '@dataflow/sdk'
import type { LoadedNode, LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { ItemOutcome } from '../runtime/item-outcome.js'

/** The nodes of a CapFlow-like pipeline, with the write schemas the telemetry reads (test fixture). */
export function telemetryTestPipeline(): LoadedPipeline {
  const node = (id: string, depth: number, needs: string[], writes: JsonSchema) =>
    ({ id, depth, needs, writes, uses: `@test/${id}` }) as unknown as LoadedNode
  const rating = { type: 'string', enum: ['Excellent', 'Good', 'Bad'] }
  return {
    name: 'telemetry-test',
    file: '/pipelines/telemetry-test.yaml',
    nodes: [
      node('media', 0, [], {
        type: 'object',
        properties: { modality: { type: 'string', enum: ['image', 'video'] }, image: { type: 'object' } },
      }),
      node('route', 1, ['media'], {
        type: 'object',
        properties: { domain: { type: 'string', enum: ['natural', 'chart', 'document'] }, raw: { type: 'string' } },
      }),
      node('summary', 2, ['route'], {
        type: 'object',
        properties: { notes: { type: 'object' }, caption: { type: 'string' } },
      }),
      node('judge', 3, ['summary'], {
        type: 'object',
        properties: {
          verdict: { type: 'string', enum: ['keep', 'reject'] },
          scores: { type: 'object', properties: { accuracy: rating, completeness: rating } },
          mean: { type: 'number', minimum: 1, maximum: 3 },
        },
      }),
    ],
  } as unknown as LoadedPipeline
}

/** A finished item of that pipeline. */
export function telemetryTestOutcome(
  sequence: number,
  kind: 'ok' | 'rejected' | 'error',
  domain: string,
  caption = `caption of item ${sequence}`,
): ItemOutcome {
  const scores =
    kind === 'ok' ? { accuracy: 'Excellent', completeness: 'Excellent' } : { accuracy: 'Good', completeness: 'Bad' }
  return {
    id: `item-${sequence}`,
    sequence,
    outcome: kind,
    item: {},
    outputs:
      kind === 'error'
        ? {}
        : {
            media: { modality: 'image', image: { kind: 'image', source: `/data/${sequence}.jpg`, hash: 'h' } },
            route: { domain, raw: 'x' },
            summary: { caption },
            judge: { verdict: kind === 'ok' ? 'keep' : 'reject', scores, mean: kind === 'ok' ? 3 : 1.5 },
          },
    statuses: {},
    failures: [],
    metrics: {},
    ...(kind === 'rejected'
      ? { rejection: { node: 'judge', reason: 'caption below the keep rule: completeness Bad' } }
      : {}),
    ...(kind === 'error'
      ? {
          error: {
            node: 'media',
            attempts: 1,
            error: {
              code: 'DATAFLOW_MEDIA_INVALID',
              category: 'data',
              retryable: false,
              message: `image ${sequence} is truncated`,
              hint: 'Re-download the file.',
            },
          },
        }
      : {}),
  }
}
