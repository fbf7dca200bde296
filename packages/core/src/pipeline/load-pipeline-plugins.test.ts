import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { diagnosticsOf, positions, yamlLines } from '../../test/load-problems.js'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { loadPipeline } from './load-pipeline.js'

afterAll(removePipelines)

const HEAD = ['version: 1', 'name: t', 'models:', '  vlm: { baseURL: http://h:1/v1, model: m }']

/** A tiny npm package in `<dir>/node_modules/<name>` default-exporting an echo node. */
function installPackage(dir: string, name: string, manifest: Record<string, unknown>, entry = 'index.js'): void {
  const root = join(dir, 'node_modules', name)
  mkdirSync(dirname(join(root, entry)), { recursive: true })
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.2.3', type: 'module', ...manifest }))
  writeFileSync(
    join(root, entry),
    [
      "import { defineNode } from '@dataflow/sdk'",
      `export default defineNode({ specVersion: 1, name: '${name}', description: 'Echo.', config: { type: 'object', additionalProperties: false }, writes: { type: 'object' }, create: () => ({ process: () => ({}) }) })`,
    ].join('\n'),
  )
}

describe('plugin resolution', () => {
  it('reports each unusable plugin at its uses:', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-node.js }',
        'nodes:',
        "  a: { uses: '@fixture/not-installed' }",
        '  b: { uses: ./missing.js }',
        '  c: { uses: ./not-a-plugin.js }',
        '  d: { uses: ./broken-plugin.js }',
        '  e: { uses: ./fixture-sink.js }',
        '  f: { uses: ./throwing-writes.js }',
        'sinks:',
        '  out: { uses: ./fixture-source.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '5:17 DATAFLOW_PLUGIN_INVALID',
      '7:14 DATAFLOW_PLUGIN_NOT_FOUND',
      '8:14 DATAFLOW_PLUGIN_NOT_FOUND',
      '9:14 DATAFLOW_PLUGIN_INVALID',
      '10:14 DATAFLOW_PLUGIN_INVALID',
      '11:14 DATAFLOW_PLUGIN_INVALID',
      '12:14 DATAFLOW_PLUGIN_INVALID',
      '14:16 DATAFLOW_PLUGIN_INVALID',
    ])
    const [source, notInstalled, missing, notPlugin, broken, wrongKind, writes, sink] = diagnostics
    expect(source).toMatchObject({
      message: '"./fixture-node.js" is a node, but source takes a source',
      hint: 'move it under nodes, or use a source plugin here',
    })
    expect(notInstalled!.message).toMatch(
      /^cannot find the plugin package "@fixture\/not-installed" \(looked from .*case-/,
    )
    expect(notInstalled!.hint).toBe('install it: npm install @fixture/not-installed')
    expect(missing!.message).toMatch(/^no plugin module at .*case-[^/]+\/missing\.js$/)
    expect(missing!.hint).toBe('check the path: it is relative to the folder of the pipeline file')
    expect(notPlugin).toMatchObject({
      message: '"./not-a-plugin.js" does not default-export a plugin made with defineNode',
      hint: 'the module must `export default defineNode({ specVersion: 1, ... })` from @dataflow/sdk',
    })
    expect(broken!.message).toBe('the plugin "./broken-plugin.js" failed to load: boom while importing')
    expect(wrongKind!.message).toBe('"./fixture-sink.js" is a sink, but nodes takes a node')
    expect(writes!.message).toBe('"./throwing-writes.js" failed to describe what it writes: no fields configured')
    expect(sink!.message).toBe('"./fixture-source.js" is a source, but sinks takes a sink')
  })

  it('resolves npm packages from the pipeline folder and reads their version', async () => {
    const file = writePipeline(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        "  echo: { uses: '@fixture/plugin-echo' }",
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    installPackage(
      dirname(file),
      '@fixture/plugin-echo',
      { exports: { '.': { default: './dist/index.js' } } },
      'dist/index.js',
    )
    const pipeline = await loadPipeline(file, { env: {} })
    expect(pipeline.nodes[0]).toMatchObject({
      id: 'echo',
      uses: '@fixture/plugin-echo',
      version: '1.2.3',
      position: { file, line: 7, column: 3 },
    })
    expect(pipeline.nodes[0]!.modulePath).toBe(join(dirname(file), 'node_modules/@fixture/plugin-echo/dist/index.js'))
    expect(pipeline.source.version).toBeUndefined()
    expect(pipeline.source.modulePath).toBe(join(dirname(file), 'fixture-source.js'))
  })

  it('resolves ESM-only packages (exports with an import condition only)', async () => {
    const file = writePipeline(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  echo: { uses: esm-only-echo }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    installPackage(dirname(file), 'esm-only-echo', { exports: { '.': { import: './esm/main.js' } } }, 'esm/main.js')
    const pipeline = await loadPipeline(file, { env: {} })
    expect(pipeline.nodes[0]!.modulePath).toBe(join(dirname(file), 'node_modules/esm-only-echo/esm/main.js'))
  })

  it('looks in resolveFrom after the pipeline folder', async () => {
    const yaml = yamlLines(
      ...HEAD,
      'source: { uses: ./fixture-source.js, with: { path: x } }',
      'nodes:',
      '  echo: { uses: elsewhere-echo }',
      'sinks:',
      '  out: { uses: ./fixture-sink.js }',
    )
    const other = dirname(writePipeline('unused: true\n'))
    installPackage(other, 'elsewhere-echo', { main: 'index.js' })
    const diagnostics = await diagnosticsOf(yaml)
    expect(positions(diagnostics)).toEqual(['7:17 DATAFLOW_PLUGIN_NOT_FOUND'])
    const pipeline = await loadPipeline(writePipeline(yaml), {
      env: {},
      resolveFrom: [join(other, 'some-file.js'), other],
    })
    expect(pipeline.nodes[0]!.version).toBe('1.2.3')
  })

  it('imports a module once however many nodes use it', async () => {
    const pipeline = await loadPipeline(
      writePipeline(
        yamlLines(
          ...HEAD,
          'source: { uses: ./fixture-source.js, with: { path: x } }',
          'nodes:',
          '  a: { uses: ./fixture-node.js }',
          '  b: { uses: ./fixture-node.js, with: { fields: [other] } }',
          'sinks:',
          '  out: { uses: ./fixture-sink.js }',
        ),
      ),
      { env: {} },
    )
    expect(pipeline.nodes[0]!.definition).toBe(pipeline.nodes[1]!.definition)
    expect(pipeline.nodes.map((node) => node.writes.properties && Object.keys(node.writes.properties))).toEqual([
      ['text'],
      ['other'],
    ])
  })
})

describe('plugin settings', () => {
  it('reports every problem inside with: at its position', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 1',
        'name: t',
        'models:',
        '  vlm: { baseURL: http://h:1/v1, model: m }',
        '  llm: { baseURL: http://h:1/v1, model: m }',
        'source: { uses: ./fixture-source.js, with: { path: 3 } }',
        'nodes:',
        '  a:',
        '    uses: ./fixture-node.js',
        '    with:',
        '      keep: some',
        '      threshold: 0',
        '      colour: red',
        '      model: lln',
        '  b:',
        '    uses: ./fixture-node.js',
        '    with: { fields: text }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual([
      '6:52 DATAFLOW_CONFIG_INVALID',
      '11:13 DATAFLOW_CONFIG_INVALID',
      '12:18 DATAFLOW_CONFIG_INVALID',
      '13:7 DATAFLOW_CONFIG_INVALID',
      '14:14 DATAFLOW_MODEL_UNKNOWN',
      '17:21 DATAFLOW_CONFIG_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.message, diagnostic.hint])).toEqual([
      ['source.with.path must be a string, not 3', 'JSONL file to read.'],
      ['nodes.a.with.keep must be one of "all", "any", not "some"', 'Which items to keep.'],
      ['nodes.a.with.threshold must be >= 1', 'A positive whole number.'],
      ['nodes.a.with has an unknown key "colour"', 'known keys: model, input, fields, keep, threshold'],
      ['model "lln" is not declared under models:', 'did you mean "llm"?'],
      ['nodes.b.with.fields must be an array, not "text"', 'Output fields.'],
    ])
  })

  it('applies the config defaults and keeps them in the effective document', async () => {
    const pipeline = await loadPipeline(
      writePipeline(
        yamlLines(
          ...HEAD,
          'source: { uses: ./fixture-source.js, with: { path: x } }',
          'nodes:',
          '  a: { uses: ./fixture-node.js }',
          'sinks:',
          '  out: { uses: ./fixture-sink.js }',
        ),
      ),
      { env: {} },
    )
    const defaults = { model: 'vlm', input: 'item.image', fields: ['text'], keep: 'all' }
    expect(pipeline.nodes[0]!.config).toEqual(defaults)
    expect((pipeline.document['nodes'] as Record<string, Record<string, unknown>>)['a']!['with']).toEqual(defaults)
    expect(pipeline.sinks[0]!.config).toEqual({ path: 'out.jsonl' })
  })

  it('reports a default model that is not declared at the node', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        'version: 1',
        'name: t',
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  a: { uses: ./fixture-node.js }',
        '  b: { uses: ./fixture-node.js, with: { keep: any } }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['5:3 DATAFLOW_MODEL_UNKNOWN', '6:33 DATAFLOW_MODEL_UNKNOWN'])
    expect(diagnostics[0]).toMatchObject({
      message: 'model "vlm" (the default) is not declared under models:',
      hint: 'declare it under models: (name, baseURL, model)',
    })
  })

  it('lists the declared models when the name is not close to one', async () => {
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  a: { uses: ./fixture-node.js, with: { model: qwen-72b } }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
    )
    expect(positions(diagnostics)).toEqual(['7:48 DATAFLOW_MODEL_UNKNOWN'])
    expect(diagnostics[0]!.hint).toBe('declared models: vlm; declare it under models: or use one of these')
  })

  it('refuses a plugin without a contract version, with one this engine lacks, or with a config schema open to typos', async () => {
    const node = (fields: string) =>
      `import { defineNode } from '@dataflow/sdk'\nexport default defineNode({ ${fields} name: 'n', description: 'd', writes: { type: 'object' }, create: () => ({ process: () => ({}) }) })\n`
    const diagnostics = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  a: { uses: ./no-version.js }',
        '  b: { uses: ./future.js }',
        '  c: { uses: ./open.js }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      {},
      {
        'no-version.js': node("config: { type: 'object', additionalProperties: false },"),
        'future.js': node("specVersion: 99, config: { type: 'object', additionalProperties: false },"),
        'open.js': node("specVersion: 1, config: { type: 'object', properties: { fallback: { type: 'string' } } },"),
      },
    )
    expect(positions(diagnostics)).toEqual([
      '7:14 DATAFLOW_PLUGIN_INVALID',
      '8:14 DATAFLOW_PLUGIN_INVALID',
      '9:14 DATAFLOW_PLUGIN_INVALID',
    ])
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.hint])).toEqual([
      [
        'DATAFLOW_PLUGIN_INVALID',
        '"./no-version.js" does not say which plugin contract it implements (no specVersion)',
        "add `specVersion: 1` to its definition (the contract of this engine's @dataflow/sdk)",
      ],
      [
        'DATAFLOW_PLUGIN_INVALID',
        '"./future.js" is written for plugin contract version 99; this engine implements 1',
        'upgrade dataflow (the CLI), or use a version of the plugin made for this one',
      ],
      [
        'DATAFLOW_PLUGIN_INVALID',
        '"./open.js" has a config schema that accepts unknown keys at /',
        expect.stringContaining('field.object(...)'),
      ],
    ])
  })

  it('takes a package folder as uses:, honouring its exports, and reads its version', async () => {
    const echo =
      "import { defineNode } from '@dataflow/sdk'\nexport default defineNode({ specVersion: 1, name: 'folder-echo', description: 'Echo.', config: { type: 'object', additionalProperties: false }, writes: { type: 'object' }, create: () => ({ process: () => ({}) }) })\n"
    const file = writePipeline(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  echo: { uses: ./my-plugin }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      {
        'my-plugin/package.json': JSON.stringify({
          name: '@acme/my-plugin',
          version: '2.0.0',
          type: 'module',
          main: './wrong.js',
          exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
        }),
        'my-plugin/dist/index.js': echo,
      },
    )
    const pipeline = await loadPipeline(file, { env: {} })
    expect(pipeline.nodes[0]).toMatchObject({ uses: './my-plugin', version: '2.0.0' })
    expect(pipeline.nodes[0]!.modulePath).toBe(join(dirname(file), 'my-plugin/dist/index.js'))

    const unbuilt = await diagnosticsOf(
      yamlLines(
        ...HEAD,
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  echo: { uses: ./unbuilt }',
        'sinks:',
        '  out: { uses: ./fixture-sink.js }',
      ),
      {},
      { 'unbuilt/package.json': JSON.stringify({ name: 'unbuilt', exports: './dist/index.js' }) },
    )
    expect(positions(unbuilt)).toEqual(['7:17 DATAFLOW_PLUGIN_NOT_FOUND'])
    expect(unbuilt[0]!.message).toMatch(
      /points at .\/dist\/index.js, which does not exist \(build the package first\?\)/,
    )
  })
})
