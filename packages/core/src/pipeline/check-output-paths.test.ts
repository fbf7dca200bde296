import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { climbsOutOfRunDir } from './check-output-paths.js'
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

describe('output paths stay inside the run directory', () => {
  it.each([
    ['../../etc/x', true],
    ['..', true],
    ['a/../../x', true],
    ['./../x', true],
    ['out.jsonl', false],
    ['exports/../out.jsonl', false],
    ['..hidden/out.jsonl', false],
    ['/tmp/elsewhere/out.jsonl', false],
  ])('%s climbs out: %s', (path, expected) => {
    expect(climbsOutOfRunDir(path)).toBe(expected)
  })

  it('validate reports every sink path that climbs out, at its value, and lets absolute paths through', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        '  echo: { uses: ./fixture-node.js }',
        'sinks:',
        '  a: { uses: ./fixture-sink.js, with: { path: ../../etc/x } }',
        '  b:',
        '    uses: ./fixture-sink.js',
        '    with:',
        '      path: exports/../../x.jsonl',
        '  c: { uses: ./fixture-sink.js, with: { path: /tmp/dataflow-explicit/out.jsonl } }',
        '  d: { uses: ./fixture-sink.js, with: { path: exports/../inside.jsonl } }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['9:47 DATAFLOW_CONFIG_INVALID', '13:13 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]).toMatchObject({
      message: 'output path "../../etc/x" climbs out of the run directory',
      hint: expect.stringMatching(/must stay inside it; write an absolute path/),
    })
  })

  it('a --set value that climbs out is reported as coming from --set', async () => {
    const file = writePipeline(
      yamlLines(...HEAD, '  echo: { uses: ./fixture-node.js }', 'sinks:', '  a: { uses: ./fixture-sink.js }'),
    )
    await expect(loadPipeline(file, { env: {}, set: ['sinks.a.with.path=../x.jsonl'] })).rejects.toThrow(
      /output path "\.\.\/x\.jsonl" climbs out of the run directory \(value from --set/,
    )
  })
})
