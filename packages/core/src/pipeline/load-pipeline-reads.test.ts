import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines } from '../../test/write-pipeline.js'

afterAll(removePipelines)

const HEAD = [
  'version: 1',
  'name: t',
  'models:',
  '  vlm: { baseURL: http://h:1/v1, model: m }',
  'source: { uses: ./fixture-source.js, with: { path: x } }',
  'nodes:',
]

describe('when expressions and paths', () => {
  it('reports reads of fields nothing upstream writes, at their column', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  route:',
        '    uses: ./fixture-node.js',
        '    with: { fields: [domain] }',
        '  ocr:',
        '    uses: ./fixture-node.js',
        '    needs: [route]',
        "    when: route.domain == 'doc' and item.taks == null",
        '  caption:',
        '    uses: ./fixture-node.js',
        `    when: "ocr.text != null && route.domian in ['x']"`,
        '    with: { input: summary.text }',
        '  summary:',
        '    uses: ./fixture-node.js',
        '    needs: [ocr]',
        '    when: >-',
        "      route.domain == 'ui' and",
        "      outcome == 'ok' and caption.text",
        "    with: { input: 'ocr.texts' }",
        'sinks:',
        '  out:',
        '    uses: ./fixture-sink.js',
        "    when: outcome == 'ok' and item.id != null and summary.text and reason == null and metrics.tokens > 0",
        '    select: { a: item.image, b: nobody.x, c: error.code, d: id }',
        '    with: { field: route.domain == 1 }',
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '13:37 DATAFLOW_EXPRESSION_INVALID',
      '16:12 DATAFLOW_EXPRESSION_INVALID',
      '16:32 DATAFLOW_EXPRESSION_INVALID',
      '17:20 DATAFLOW_EXPRESSION_INVALID',
      '23:7 DATAFLOW_EXPRESSION_INVALID',
      '23:27 DATAFLOW_EXPRESSION_INVALID',
      '24:21 DATAFLOW_EXPRESSION_INVALID',
      '29:33 DATAFLOW_EXPRESSION_INVALID',
      '30:33 DATAFLOW_EXPRESSION_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.hint])).toEqual([
      ['the source does not write item.taks', 'did you mean "task"?'],
      ['node "caption" reads "ocr.text", but "ocr" is not upstream of it', 'add ocr to the needs of caption'],
      ['node "caption" reads "route.domian", but "route" is not upstream of it', 'add route to the needs of caption'],
      [
        'node "caption" reads "summary.text", but "summary" is not upstream of it',
        'add summary to the needs of caption',
      ],
      [
        'node "summary" reads "outcome", which only sinks can read (it is how the item ended)',
        'nodes read item.* and the outputs of their needs',
      ],
      [
        'node "summary" reads "caption.text", but "caption" is not upstream of it',
        'add caption to the needs of summary',
      ],
      ['node "ocr" does not write "texts" (read as ocr.texts)', 'did you mean "text"?'],
      [
        'sink "out" reads "nobody.x", but "nobody" is not a node of this pipeline',
        'paths start with item or a node id (item, route, ocr, caption, summary)',
      ],
      [
        'invalid path "route.domain == 1": unexpected "==" after the path',
        'a path field takes one path, not an expression',
      ],
    ])
  })

  it('reports expressions that do not parse at the offending column', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a:',
        '    uses: ./fixture-node.js',
        "    when: item.task = 'x'",
        '  b:',
        '    uses: ./fixture-node.js',
        `    when: "item.task == \\"x\\" && (item.id"`,
        '  c:',
        '    uses: ./fixture-node.js',
        '    when: item.__proto__.polluted',
        'sinks:',
        "  out: { uses: ./fixture-sink.js, when: \"outcome in ['ok', 'rejected'\" }",
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '9:21 DATAFLOW_EXPRESSION_INVALID',
      '12:42 DATAFLOW_EXPRESSION_INVALID',
      '15:16 DATAFLOW_EXPRESSION_INVALID',
      '17:70 DATAFLOW_EXPRESSION_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.hint])).toEqual([
      ['invalid expression "item.task = \'x\'": unexpected "="', 'write == to compare'],
      [
        'invalid expression "item.task == "x" && (item.id": expected ")" but found the end of the expression',
        'add the ")" that closes "(item.id"',
      ],
      [
        'invalid expression "item.__proto__.polluted": "__proto__" is not allowed in a path',
        'paths read plain data fields only',
      ],
      [
        'invalid expression "outcome in [\'ok\', \'rejected\'": expected "," or "]" but found the end of the expression',
        undefined,
      ],
    ])
  })

  it('reads a target that is downstream: explains why it cannot', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a: { uses: ./fixture-node.js, when: b.text }',
        '  b: { uses: ./fixture-node.js, needs: [a] }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['7:39 DATAFLOW_EXPRESSION_INVALID'])
    expect(diagnostics[0]!.hint).toBe('"b" runs after "a" (it needs it), so "a" cannot read it')
  })

  it('accepts reads of transitive needs, of open schemas and of whole outputs', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a: { uses: ./fixture-node.js, with: { fields: [x] } }',
        '  b: { uses: ./fixture-node.js, needs: [a] }',
        '  c: { uses: ./fixture-node.js, needs: [b], when: a.x and b and item, with: { input: a.x } }',
        '  d: { uses: ./fixture-node.js, needs: [c], when: c.nope }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js, when: "a.x != null", select: { x: a.x, y: d.text, z: outcome } }',
      ),
    )
    // Only the one bad read is reported.
    expect(positions(diagnostics)).toEqual(['10:51 DATAFLOW_EXPRESSION_INVALID'])
    expect(diagnostics[0]!.message).toBe('node "c" does not write "nope" (read as c.nope)')
  })

  it('says when a path that reads nothing is a plugin default', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  a: { uses: ./fixture-node.js, with: { fields: [x] } }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      { set: ['source.uses=./fixture-open-source.js'] },
      {
        'fixture-open-source.js': [
          "import { defineSource } from '@dataflow/sdk'",
          "export default defineSource({ specVersion: 1, name: 's', description: 'No image field.',",
          "  config: { type: 'object', properties: { path: { type: 'string' } }, additionalProperties: false },",
          "  writes: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false }, create: () => ({ async *read() {} }) })",
        ].join('\n'),
      },
    )
    expect(positions(diagnostics)).toEqual(['7:33 DATAFLOW_EXPRESSION_INVALID'])
    expect(diagnostics[0]!.message).toBe(
      'the source does not write item.image (the default of with.input: set it to what this pipeline writes)',
    )
    expect(diagnostics[0]!.hint).toBe('the source writes: id')
  })
})
