import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES } from '../../test/write-pipeline.js'
import { PipelineError } from './diagnostic.js'
import { formatDiagnostics } from './format-diagnostics.js'
import { loadPipeline } from './load-pipeline.js'

describe('loadPipeline on a valid file', () => {
  const file = join(FIXTURES, 'three-nodes.yaml')

  it('returns the resolved, ordered, typed pipeline', async () => {
    const pipeline = await loadPipeline(file, { env: { VLM_URL: 'http://gpu-7:8000/v1' } })
    expect(pipeline).toMatchObject({
      file,
      dir: FIXTURES.replace(/\/$/, ''),
      name: 'three-nodes',
      description: 'A valid pipeline over a JSONL file (test fixture).',
    })
    expect(pipeline.models['vlm']).toMatchObject({
      baseURL: 'http://gpu-7:8000/v1',
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
      maxConcurrency: 64,
    })
    expect(pipeline.source).toMatchObject({
      uses: './fixture-source.js',
      config: { path: 'data/items.jsonl' },
      position: { file, line: 7, column: 1 },
    })
    expect(Object.keys(pipeline.source.writes.properties ?? {})).toEqual(['id', 'image', 'task'])
    expect(
      pipeline.nodes.map((node) => [node.id, node.depth, node.needs, node.onError, node.retry, node.position.line]),
    ).toEqual([
      ['caption', 0, [], 'fail', { attempts: 1, backoffMs: 1000 }, 11],
      ['ocr', 0, [], 'fail', { attempts: 1, backoffMs: 1000 }, 14],
      ['summary', 1, ['caption', 'ocr'], 'fail', { attempts: 1, backoffMs: 1000 }, 18],
    ])
    const [caption, ocr, summary] = pipeline.nodes
    expect(caption!.when).toBeUndefined()
    expect(caption!.writes).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { caption: { type: 'string' }, confidence: { type: 'string' } },
    })
    expect(ocr!.when!.test({ item: { task: 'ui' } })).toBe(true)
    expect(ocr!.when!.test({ item: { task: 'natural' } })).toBe(false)
    expect(summary!.when!.paths).toEqual(['caption.confidence'])
    expect(summary!.config).toEqual({ model: 'vlm', input: 'caption.caption', fields: ['summary'], keep: 'all' })
    expect(pipeline.run).toEqual({ window: 256, maxErrorRate: 0.05 })
  })

  it('compiles sink when (default: ok items) and select', async () => {
    const pipeline = await loadPipeline(file, { env: {} })
    const [kept, errors] = pipeline.sinks
    expect(kept!.when.source).toBe("outcome == 'ok'")
    expect(kept!.when.test({ outcome: 'ok' })).toBe(true)
    expect(kept!.when.test({ outcome: 'rejected' })).toBe(false)
    expect(errors!.when.test({ outcome: 'error' })).toBe(true)
    expect(Object.keys(kept!.select!)).toEqual(['id', 'caption', 'text'])
    expect(kept!.select!['caption']!.evaluate({ summary: { summary: 'a cat' } })).toBe('a cat')
    expect(errors!.select).toBeUndefined()
    expect(kept!.config).toEqual({ path: 'out.jsonl' })
  })

  it('keeps the effective document: interpolated, overridden, with defaults', async () => {
    const pipeline = await loadPipeline(file, { env: {}, set: ['run.window=8', 'nodes.ocr.onError=continue'] })
    const document = pipeline.document as Record<string, any>
    expect(document['models'].vlm.baseURL).toBe('http://127.0.0.1:8000/v1')
    expect(document['run']).toEqual({ window: 8, maxErrorRate: 0.05 })
    expect(document['nodes'].ocr.onError).toBe('continue')
    expect(document['nodes'].caption.with).toEqual({
      fields: ['caption', 'confidence'],
      model: 'vlm',
      input: 'item.image',
      keep: 'all',
    })
    expect(document['sinks'].kept.when).toBe("outcome == 'ok'")
    expect(pipeline.nodes[1]!.onError).toBe('continue')
  })
})

describe('loadPipeline on a file with many problems', () => {
  const file = join(FIXTURES, 'many-errors.yaml')

  it('reports them all at once, sorted by position, as one PipelineError', async () => {
    const error = await loadPipeline(file, { env: {} }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PipelineError)
    const { diagnostics, code } = error as PipelineError
    expect(code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(
      diagnostics.map(
        (diagnostic) => `${diagnostic.line}:${diagnostic.column} ${diagnostic.code} ${diagnostic.message}`,
      ),
    ).toEqual([
      '7:35 DATAFLOW_CONFIG_INVALID source.with has an unknown key "limit"',
      '11:20 DATAFLOW_MODEL_UNKNOWN model "vml" is not declared under models:',
      '14:13 DATAFLOW_GRAPH_INVALID node "ocr" needs "rout", which is not a node of this pipeline',
      `15:25 DATAFLOW_EXPRESSION_INVALID invalid expression "route.domain = 'document'": unexpected "="`,
      `17:11 DATAFLOW_PLUGIN_NOT_FOUND no plugin module at ${join(FIXTURES, 'fixture-nod.js')}`,
      '19:5 DATAFLOW_CONFIG_INVALID nodes.summary has an unknown key "wen"',
      '23:49 DATAFLOW_EXPRESSION_INVALID node "route" does not write "domian" (read as route.domian)',
    ])
    expect(diagnostics.every((diagnostic) => diagnostic.file === file)).toBe(true)
    expect((error as PipelineError).message).toMatch(
      /^7 problems in the pipeline:\n.*many-errors\.yaml:7:35 {2}DATAFLOW_CONFIG_INVALID {2}source\.with has an unknown key "limit"\n/,
    )
    expect((error as PipelineError).toJSON().details!['diagnostics']).toHaveLength(7)
  })

  it('formats them with code frames and hints', async () => {
    const error = (await loadPipeline(file, { env: {} }).catch((caught: unknown) => caught)) as PipelineError
    const text = formatDiagnostics(error.diagnostics, { cwd: FIXTURES })
    expect(text).toContain(
      [
        'many-errors.yaml:14:13  DATAFLOW_GRAPH_INVALID  node "ocr" needs "rout", which is not a node of this pipeline',
        '  13 |     uses: ./fixture-node.js',
        '> 14 |     needs: [rout]',
        '     |             ^',
        '  hint: did you mean "route"?',
      ].join('\n'),
    )
    expect(text.endsWith('\n\n7 problems found\n')).toBe(true)
  })
})
