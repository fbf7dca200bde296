import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { loadPipeline } from './load-pipeline.js'

afterAll(removePipelines)

const HEAD = [
  'version: 1',
  'name: t',
  'models:',
  '  vlm: { baseURL: http://h:1/v1, model: m }',
  'source: { uses: ./fixture-source.js, with: { path: x } }',
  'nodes:',
]
const SINKS = ['sinks:', '  out: { uses: ./fixture-sink.js }']

describe('graph checks', () => {
  it('reports self needs, repeated needs, unknown needs, cycles and bad ids at their positions', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a: { uses: ./fixture-node.js, needs: [a, b, b] }',
        '  b: { uses: ./fixture-node.js, needs: [c] }',
        '  c: { uses: ./fixture-node.js, needs: [d] }',
        '  d: { uses: ./fixture-node.js, needs: [b, routr] }',
        '  route: { uses: ./fixture-node.js }',
        '  item: { uses: ./fixture-node.js }',
        '  bad.id: { uses: ./fixture-node.js }',
        ...SINKS,
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '7:41 DATAFLOW_GRAPH_INVALID',
      '7:47 DATAFLOW_GRAPH_INVALID',
      '8:41 DATAFLOW_GRAPH_INVALID',
      '10:44 DATAFLOW_GRAPH_INVALID',
      '12:3 DATAFLOW_GRAPH_INVALID',
      '13:3 DATAFLOW_GRAPH_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.hint])).toEqual([
      ['node "a" needs itself', 'remove it from needs'],
      ['node "a" lists "b" twice in needs', 'remove the repeated entry'],
      [
        'needs form a cycle: b needs c, c needs d, d needs b',
        'a node cannot need itself, even indirectly: remove one of these needs',
      ],
      ['node "d" needs "routr", which is not a node of this pipeline', 'did you mean "route"?'],
      [
        '"item" cannot be a node id: it is reserved in expressions',
        'rename the node; reserved: item, outcome, reason, error, id, metrics, true, false, null, and, or, not, in',
      ],
      [
        '"bad.id" cannot be a node id: expressions could not name it',
        'use letters, digits, _ and - (starting with a letter or _), e.g. ocr_agent',
      ],
    ])
  })

  it('refuses ids that could reach a prototype', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  __proto__: { uses: ./fixture-node.js }',
        '  constructor: { uses: ./fixture-node.js }',
        ...SINKS,
      ),
    )
    expect(positions(diagnostics)).toEqual(['7:3 DATAFLOW_GRAPH_INVALID', '8:3 DATAFLOW_GRAPH_INVALID'])
    expect(diagnostics[0]!.message).toBe('"__proto__" cannot be a node id: expressions could not name it')
    expect(({} as Record<string, unknown>)['uses']).toBeUndefined()
  })

  it('reports a two-node cycle once', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a: { uses: ./fixture-node.js, needs: [b] }',
        '  b: { uses: ./fixture-node.js, needs: [a] }',
        ...SINKS,
      ),
    )
    expect(positions(diagnostics)).toEqual(['7:41 DATAFLOW_GRAPH_INVALID'])
    expect(diagnostics[0]!.message).toBe('needs form a cycle: a needs b, b needs a')
  })

  it('says the source is always upstream when needs names it', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(...HEAD, '  a: { uses: ./fixture-node.js, needs: [source] }', ...SINKS),
    )
    expect(diagnostics[0]!.hint).toBe('the source is upstream of every node: leave it out of needs')
  })

  it('orders nodes after their needs and computes depth', async () => {
    const pipeline = await loadPipeline(
      writePipeline(
        yamlLines(
          ...HEAD,
          '  summary: { uses: ./fixture-node.js, needs: [ocr, caption] }',
          '  judge: { uses: ./fixture-node.js, needs: [summary] }',
          '  ocr: { uses: ./fixture-node.js, needs: [media] }',
          '  media: { uses: ./fixture-node.js }',
          '  caption: { uses: ./fixture-node.js, needs: [media] }',
          '  side: { uses: ./fixture-node.js }',
          ...SINKS,
        ),
      ),
      { env: {} },
    )
    expect(pipeline.nodes.map((node) => [node.id, node.depth, node.needs])).toEqual([
      ['media', 0, []],
      ['ocr', 1, ['media']],
      ['caption', 1, ['media']],
      ['summary', 2, ['ocr', 'caption']],
      ['judge', 3, ['summary']],
      ['side', 0, []],
    ])
  })
})
