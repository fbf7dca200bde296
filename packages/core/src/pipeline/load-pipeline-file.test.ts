import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { PipelineError } from './diagnostic.js'
import { loadPipeline } from './load-pipeline.js'

afterAll(removePipelines)

const TAIL = [
  'source: { uses: ./fixture-source.js, with: { path: items.jsonl } }',
  'nodes:',
  '  a: { uses: ./fixture-node.js }',
  'sinks:',
  '  out: { uses: ./fixture-sink.js }',
]

describe('reading the file', () => {
  it('reports a missing file as a usage problem without a position', async () => {
    const error = await loadPipeline('/nonexistent/pipeline.yaml').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PipelineError)
    expect((error as PipelineError).code).toBe('DATAFLOW_USAGE')
    expect((error as PipelineError).diagnostics).toEqual([
      {
        file: '/nonexistent/pipeline.yaml',
        line: 0,
        column: 0,
        code: 'DATAFLOW_USAGE',
        message: 'pipeline file not found: /nonexistent/pipeline.yaml',
        hint: 'give the path of a pipeline YAML file (relative to the current folder or absolute)',
      },
    ])
  })

  it('reports every YAML syntax error at its position', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines('version: 1', 'name: a', 'name: b', 'nodes:', '  a: { uses: x', '  b: [1, 2'),
    )
    expect(positions(diagnostics)).toEqual([
      '3:1 DATAFLOW_YAML_SYNTAX',
      '6:3 DATAFLOW_YAML_SYNTAX',
      '7:1 DATAFLOW_YAML_SYNTAX',
    ])
    expect(diagnostics[0]).toMatchObject({
      message: 'Map keys must be unique',
      hint: 'each key may appear once in a mapping: rename or merge the entries',
    })
    expect(diagnostics[1]).toMatchObject({
      message: 'Flow map in block collection must be sufficiently indented and end with a }',
      hint: 'check the indentation, and that every { and [ is closed',
    })
  })

  it('refuses an alias explosion instead of expanding it', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let level = 1; level < 9; level++)
      lines.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(', ')}]`,
      )
    const diagnostics = await diagnosticsOf(yamlLines(...lines))
    expect(positions(diagnostics)).toEqual(['1:1 DATAFLOW_YAML_SYNTAX'])
    expect(diagnostics[0]!.message).toMatch(/^the file cannot be expanded: Excessive alias count/)
  })

  it('reports a document that is not a mapping', async () => {
    const diagnostics = await diagnosticsOf('- just\n- a list\n')
    expect(positions(diagnostics)).toEqual(['1:1 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]!.message).toBe('the pipeline must be an object, not a list')
  })
})

describe('environment variables', () => {
  const yaml = yamlLines(
    'version: 1',
    'name: t',
    'models:',
    '  vlm: { baseURL: "http://${VLM_HOST}:8000/v1", model: "${MODEL}" }',
    ...TAIL,
  )

  it('reports each missing variable at its ${ in the file', async () => {
    const diagnostics = await diagnosticsOf(yaml)
    expect(positions(diagnostics)).toEqual(['4:27 DATAFLOW_ENV_MISSING', '4:57 DATAFLOW_ENV_MISSING'])
    expect(diagnostics[0]).toMatchObject({
      message: 'environment variable VLM_HOST is not set',
      hint: 'set it (export VLM_HOST=...), give a default with ${VLM_HOST:-value}, or write $${ for a literal ${',
    })
  })

  it('substitutes the variables when they are set', async () => {
    const pipeline = await loadPipeline(writePipeline(yaml), {
      env: { VLM_HOST: 'gpu-1', MODEL: 'Qwen/Qwen2.5-VL-7B-Instruct' },
    })
    expect(pipeline.models['vlm']).toMatchObject({
      baseURL: 'http://gpu-1:8000/v1',
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
    })
  })

  it('does not report a variable whose value is replaced with --set', async () => {
    const diagnostics = await diagnosticsOf(yaml, { set: ['models.vlm.model=m'] })
    expect(positions(diagnostics)).toEqual(['4:27 DATAFLOW_ENV_MISSING'])
    const pipeline = await loadPipeline(writePipeline(yaml), { env: { VLM_HOST: 'h' }, set: ['models.vlm.model=m'] })
    expect(pipeline.models['vlm']!.model).toBe('m')
  })

  it('types plain scalars as YAML would, keeps quoted ones as strings', async () => {
    // Inside { } a plain ${...} is not valid YAML ({ and } are flow indicators): block style here.
    const file = writePipeline(
      yamlLines(
        'version: 1',
        'name: t',
        'models:',
        '  vlm: { baseURL: http://h/v1, model: m }',
        ...TAIL,
        'run:',
        '  window: ${WINDOW:-64}',
        '  maxErrorRate: $${X}',
      ),
    )
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 1',
        'name: t',
        'models:',
        '  vlm: { baseURL: http://h/v1, model: m }',
        ...TAIL,
        'run: { window: "${WINDOW:-64}" }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['10:16 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]!.message).toBe('run.window must be an integer, not "64"')
    const error: unknown = await loadPipeline(file, { env: { WINDOW: '32' } }).catch((caught: unknown) => caught)
    if (!(error instanceof PipelineError)) throw new Error(`expected a PipelineError, got ${String(error)}`)
    expect(error.diagnostics.map((diagnostic) => [diagnostic.line, diagnostic.column, diagnostic.message])).toEqual([
      [12, 17, 'run.maxErrorRate must be a number, not "${X}"'],
    ])
    const pipeline = await loadPipeline(file, { env: { WINDOW: '32' }, set: ['run.maxErrorRate=0.1'] })
    expect(pipeline.run).toEqual({ window: 32, maxErrorRate: 0.1 })
  })

  it('reports a malformed reference', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 1',
        'name: t',
        'description: costs ${not a var}',
        'models: { vlm: { baseURL: http://h/v1, model: m } }',
        ...TAIL,
      ),
    )
    expect(positions(diagnostics)).toEqual(['3:20 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]!.hint).toBe('write $${ for a literal ${')
  })
})

describe('--set', () => {
  const yaml = yamlLines(
    'version: 1',
    'name: t',
    'models:',
    '  vlm: { baseURL: http://h:1/v1, model: m }',
    'source: { uses: ./fixture-source.js, with: { path: items.jsonl } }',
    'nodes:',
    '  a:',
    '    uses: ./fixture-node.js',
    '    with: { keep: all }',
    'sinks:',
    '  out: { uses: ./fixture-sink.js }',
  )

  it('overrides values, with YAML types, creating missing parents', async () => {
    const pipeline = await loadPipeline(writePipeline(yaml), {
      env: {},
      set: [
        'nodes.a.with.keep=any',
        'nodes.a.with.threshold=3',
        'run.window=16',
        'source.with.path=other.jsonl',
        'nodes.a.onError=continue',
      ],
    })
    expect(pipeline.nodes[0]!.config).toMatchObject({ keep: 'any', threshold: 3 })
    expect(pipeline.nodes[0]!.onError).toBe('continue')
    expect(pipeline.run.window).toBe(16)
    expect(pipeline.source.config).toEqual({ path: 'other.jsonl' })
  })

  it('reports a bad argument as DATAFLOW_USAGE, first, without a position', async () => {
    const diagnostics = await diagnosticsOf(yaml, { set: ['nodes.a.with.keep', 'name.x=1', 'nodes.a.with.keep=some'] })
    expect(positions(diagnostics)).toEqual(['0:0 DATAFLOW_USAGE', '0:0 DATAFLOW_USAGE', '9:13 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]).toMatchObject({ file: 'command line', message: '--set nodes.a.with.keep: missing "="' })
    expect(diagnostics[1]!.message).toBe('--set name.x=1: name is not a mapping, so it has no key "x"')
    expect(diagnostics[2]!.message).toBe(
      'nodes.a.with.keep must be one of "all", "any", not "some" (value from --set nodes.a.with.keep=some)',
    )
  })

  it('points a problem in a value the file does not have at its nearest parent', async () => {
    const diagnostics = await diagnosticsOf(yaml, { set: ['nodes.a.with.threshold=0'] })
    expect(positions(diagnostics)).toEqual(['9:5 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics[0]!.message).toBe(
      'nodes.a.with.threshold must be >= 1 (value from --set nodes.a.with.threshold=0)',
    )
  })
})

describe('schema of the file', () => {
  it('reports every problem at its position, with suggestions', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 2',
        'name: my pipeline',
        'models:',
        '  vlm: { baseURL: ftp://h, model: m, maxConcurency: 3 }',
        'source: { uses: ./fixture-source.js, with: { path: items.jsonl } }',
        'nodes:',
        '  a:',
        '    uses: ./fixture-node.js',
        '    onError: ignore',
        '    retry: { attempts: 0 }',
        '    wen: x',
        'sinks: {}',
        'run: { window: 1.5 }',
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '1:10 DATAFLOW_CONFIG_INVALID',
      '2:7 DATAFLOW_CONFIG_INVALID',
      '4:19 DATAFLOW_CONFIG_INVALID',
      '4:38 DATAFLOW_CONFIG_INVALID',
      '9:14 DATAFLOW_CONFIG_INVALID',
      '10:24 DATAFLOW_CONFIG_INVALID',
      '11:5 DATAFLOW_CONFIG_INVALID',
      '12:8 DATAFLOW_CONFIG_INVALID',
      '13:16 DATAFLOW_CONFIG_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.hint])).toEqual([
      ['version must be 1, not 2', 'Format version of this file.'],
      [
        'name must match the pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$, not "my pipeline"',
        'Pipeline name; the default run directory is `runs/<name>-<timestamp>`.',
      ],
      [
        'models.vlm.baseURL must match the pattern ^https?://, not "ftp://h"',
        'Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. Give this or `endpoints`.',
      ],
      ['models.vlm has an unknown key "maxConcurency"', 'did you mean "maxConcurrency"?'],
      [
        'nodes.a.onError must be one of "fail", "continue", not "ignore"',
        expect.stringMatching(/^What an error in this node does/),
      ],
      ['nodes.a.retry.attempts must be >= 1', 'Total attempts, including the first.'],
      ['nodes.a has an unknown key "wen"', 'did you mean "when"?'],
      ['sinks must have at least 1 entry', expect.stringMatching(/^Where finished items go/)],
      ['run.window must be an integer, not 1.5', expect.stringMatching(/^Most items in flight/)],
    ])
  })

  it('reports missing required keys at the mapping that lacks them', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'name: t',
        'source:',
        '  with: { path: x }',
        'nodes: {}',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['1:1 DATAFLOW_CONFIG_INVALID', '2:1 DATAFLOW_CONFIG_INVALID'])
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'the pipeline is missing the required key "version"',
      'source is missing the required key "uses"',
    ])
    expect(diagnostics[1]!.hint).toMatch(/^uses: npm package name/)
  })

  it('validates models entries, including their union-typed fields', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 1',
        'name: t',
        'models:',
        '  vlm: { baseURL: http://h/v1, model: m, metrics: ftp://h/metrics }',
        '  llm: { baseURL: http://h/v1, metrics: 3 }',
        ...TAIL,
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '4:51 DATAFLOW_CONFIG_INVALID',
      '5:3 DATAFLOW_CONFIG_INVALID',
      '5:41 DATAFLOW_CONFIG_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'models.vlm.metrics must match the pattern ^https?://, not "ftp://h/metrics"',
      'models.llm is missing the required key "model"',
      'models.llm.metrics must be boolean or string or object, not 3',
    ])
  })
})
