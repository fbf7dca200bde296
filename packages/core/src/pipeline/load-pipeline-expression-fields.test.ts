import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines } from '../../test/write-pipeline.js'

afterAll(removePipelines)

/** A node with an expression field and two template fields, as @dataflow/plugin-keep and -llm have. */
const RULE_NODE = [
  "import { defineNode, expressionField, templateField } from '@dataflow/sdk'",
  "export default defineNode({ specVersion: 1, name: 'rule', description: 'Rules.',",
  "  config: { type: 'object', properties: { rule: expressionField('r'), prompt: templateField('p'), system: templateField('s') }, additionalProperties: false },",
  "  writes: { type: 'object', properties: { ok: { type: 'boolean' } } }, create: () => ({ process: () => ({ ok: true }) }) })",
].join('\n')

const HEAD = [
  'version: 1',
  'name: t',
  'models: { vlm: { baseURL: http://h:1/v1, model: m } }',
  'source: { uses: ./fixture-source.js, with: { path: x } }',
  'nodes:',
  '  route: { uses: ./fixture-node.js, with: { fields: [domain] } }',
]

describe('expression and template fields of plugins', () => {
  it('checks what an expression field and the placeholders of a template read, at their columns', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  check:',
        '    uses: ./rule-node.js',
        '    needs: [route]',
        "    with: { rule: \"route.domian == 'x'\", prompt: 'Domain {{route.domain}}, task {{item.taks}}', system: 'x {{ later.ok }}' }",
        '  later: { uses: ./rule-node.js, needs: [check], with: { rule: "check.ok and item.task", prompt: "{{check.nope}} and {{bad..path}}" } }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      {},
      { 'rule-node.js': RULE_NODE },
    )
    expect(positions(diagnostics)).toEqual([
      '10:20 DATAFLOW_EXPRESSION_INVALID',
      '10:83 DATAFLOW_EXPRESSION_INVALID',
      '10:111 DATAFLOW_EXPRESSION_INVALID',
      '11:101 DATAFLOW_EXPRESSION_INVALID',
      '11:120 DATAFLOW_EXPRESSION_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'node "route" does not write "domian" (read as route.domian)',
      '{{item.taks}}: the source does not write item.taks',
      '{{later.ok}}: node "check" reads "later.ok", but "later" is not upstream of it',
      '{{check.nope}}: node "check" does not write "nope" (read as check.nope)',
      '{{bad..path}} is not a path: "bad..path" is not a valid path: empty segment',
    ])
  })

  it('reports an expression that does not parse, and checks the placeholders of prompt files', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  check:',
        '    uses: ./rule-node.js',
        '    needs: [route]',
        '    with: { rule: "route.domain = \'x\'", prompt: prompts/ask.md, system: missing.md }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      {},
      { 'rule-node.js': RULE_NODE, 'prompts/ask.md': 'Read {{item.task}} and {{route.domainn}}.\n' },
    )
    expect(positions(diagnostics)).toEqual([
      '10:33 DATAFLOW_EXPRESSION_INVALID',
      '10:49 DATAFLOW_EXPRESSION_INVALID',
      '10:73 DATAFLOW_CONFIG_INVALID',
    ])
    expect(diagnostics[0]!.message).toMatch(/invalid expression "route.domain = 'x'": unexpected "="/)
    expect(diagnostics[1]!.message).toMatch(
      /prompts\/ask\.md: \{\{route\.domainn\}\}: node "route" does not write "domainn"/,
    )
    expect(diagnostics[1]!.hint).toBe('did you mean "domain"?')
    expect(diagnostics[2]!.message).toMatch(/cannot read the prompt file .*missing\.md/)
  })
})
