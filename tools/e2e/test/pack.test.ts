import { execFile } from 'node:child_process'
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO, readJsonl, startCapflowServers, tempDir } from './support.js'

const run = promisify(execFile)

/** Every publishable workspace package (tools are private). */
async function publishable(): Promise<string[]> {
  const folders: string[] = []
  for (const parent of ['packages', 'plugins'])
    for (const name of await readdir(join(REPO, parent))) folders.push(join(REPO, parent, name))
  return folders
}

/** CapFlow as shipped, plus one node from a plugin package folder and a sink that reads it. */
async function capflowWith(plugin: string): Promise<string> {
  const yaml = await readFile(join(REPO, 'pipelines/capflow.yaml'), 'utf8')
  const node = [
    '  headline:',
    `    uses: ${JSON.stringify(plugin)}`,
    '    needs: [summary]',
    '    with: { model: llm, text: summary.caption, prompt: "A title for: {{text}}" }',
    '',
  ].join('\n')
  const sink = [
    '  headlines:',
    '    uses: "@dataflow/plugin-sink-jsonl"',
    '    when: "outcome != \'error\'"',
    '    with: { path: headlines.jsonl }',
    '    select: { id: id, headline: headline.answer }',
    '',
  ].join('\n')
  expect(yaml).toContain('\nsinks:\n')
  return yaml.replace('\nsinks:\n', `\n${node}\nsinks:\n${sink}`)
}

describe('npm pack', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    dir = await tempDir('dataflow-pack-')
  })
  afterAll(async () => {
    await dir.remove()
  })

  it('gives tarballs that install offline and run CapFlow with plugins from folders outside any project, and the review classifier', async () => {
    const tarballs: string[] = []
    for (const folder of await publishable()) {
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir.path], { cwd: folder })
      const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
      expect(
        packed!.files.some((file) => file.path.endsWith('.test.js')),
        `${folder} ships tests`,
      ).toBe(false)
      expect(
        packed!.files.some((file) => file.path === 'README.md'),
        `${folder} has a README`,
      ).toBe(true)
      tarballs.push(join(dir.path, packed!.filename))
    }
    const app = join(dir.path, 'app')
    await mkdir(app, { recursive: true })
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    // Offline: every dependency comes from the npm cache the workspace install filled.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], {
      cwd: app,
      timeout: 240_000,
    })
    // better-sqlite3 compiles its addon in an install script (~95 s here, no prebuilt download
    // offline). What this test checks is our tarballs, so the addon the workspace already built
    // for this Node ABI is copied in, as a prebuilt download would be.
    await run('cp', ['-r', join(REPO, 'node_modules/better-sqlite3/build'), join(app, 'node_modules/better-sqlite3/')])
    const bin = join(app, 'node_modules/.bin/dataflow')

    // A local node file in a folder with no node_modules anywhere above it that has the SDK:
    // `@dataflow/sdk` resolves to the CLI's own copy.
    const nodes = join(dir.path, 'nodes')
    await mkdir(nodes)
    await writeFile(
      join(nodes, 'count.js'),
      [
        "import { defineNode, field } from '@dataflow/sdk'",
        "export default defineNode({ specVersion: 1, name: 'count', description: 'length', config: field.object({}),",
        "  writes: { type: 'object', properties: { n: { type: 'integer' } } },",
        '  create: () => ({ process: (input) => ({ n: String(input.item.text).length }) }) })',
      ].join('\n'),
    )
    await copyFile(join(REPO, 'pipelines/examples/data/reviews.jsonl'), join(app, 'reviews.jsonl'))
    await writeFile(
      join(app, 'p.yaml'),
      [
        'version: 1',
        'name: outside',
        'source: { uses: "@dataflow/plugin-source-jsonl", with: { path: reviews.jsonl } }',
        'nodes: { count: { uses: ../nodes/count.js } }',
        'sinks: { out: { uses: "@dataflow/plugin-sink-jsonl", with: { path: out.jsonl }, select: { id: id, n: count.n } } }',
      ].join('\n'),
    )
    await run(bin, ['validate', 'p.yaml'], { cwd: app })
    await run(bin, ['run', 'p.yaml', '--out', 'run', '--quiet'], { cwd: app })
    const records = await readJsonl<{ id: string; n: number }>(join(app, 'run/out.jsonl'))
    expect(records.map((record) => record.id).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'])

    // A plugin package made by the scaffold, in its own folder outside the app, set up as the
    // scaffold tells a user to: the SDK from its tarball (a dev dependency; at run time the
    // plugin gets the CLI's SDK, its peer), then build and its own tests. CapFlow uses it as a folder.
    const plugins = join(dir.path, 'plugins')
    await mkdir(plugins)
    const scaffolded = await run(bin, ['new', 'node', '@acme/plugin-headline', '--dir', plugins], { cwd: app })
    expect(scaffolded.stdout).toContain('npm install --save-dev <folder>/dataflow-sdk-0.1.0.tgz')
    const plugin = join(plugins, 'plugin-headline')
    const sdkTarball = tarballs.find((path) => basename(path).startsWith('dataflow-sdk-'))!
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', sdkTarball], {
      cwd: plugin,
      timeout: 120_000,
    })
    await run('npm', ['run', 'build'], { cwd: plugin })
    const tests = await run('npm', ['test'], { cwd: plugin, env: { ...process.env, CI: 'true', NO_COLOR: '1' } })
    expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+4 passed/)

    await writeFile(join(app, 'capflow.yaml'), await capflowWith(plugin))
    const servers = await startCapflowServers()
    try {
      const env = { ...process.env, ...servers.env, DATAFLOW_CACHE_DIR: join(dir.path, 'cache') }
      const metafile = `source.with.metafile=${join(REPO, 'data/sample/Metafile.json')}`
      await run(bin, ['validate', 'capflow.yaml', '--set', metafile], { cwd: app, env })
      await run(bin, ['run', 'capflow.yaml', '--set', metafile, '--out', 'capflow-run', '--quiet'], {
        cwd: app,
        env,
        timeout: 240_000,
      })
      // The review classifier as shipped: generic nodes only, no code in the app.
      await copyFile(join(REPO, 'pipelines/review-classifier.yaml'), join(app, 'review-classifier.yaml'))
      await copyFile(join(REPO, 'data/text/reviews.jsonl'), join(app, 'shop-reviews.jsonl'))
      const reviews = ['review-classifier.yaml', '--set', 'source.with.path=shop-reviews.jsonl']
      await run(bin, ['run', ...reviews, '--out', 'reviews-run', '--quiet'], { cwd: app, env })
    } finally {
      await servers.close()
    }
    const captions = await readJsonl<{ id: string }>(join(app, 'capflow-run/captions.jsonl'))
    const headlines = await readJsonl<{ id: string; headline: string }>(join(app, 'capflow-run/headlines.jsonl'))
    expect(captions.length).toBeGreaterThan(0)
    // Every captioned item went through the plugin (items that ended before the summary have no headline).
    const headlineOf = new Map(headlines.map((record) => [record.id, record.headline]))
    for (const { id } of captions) expect(headlineOf.get(id), id).toMatch(/\S/)

    const labelled = await readJsonl<{ id: string }>(join(app, 'reviews-run/labels.jsonl'))
    const dropped = await readJsonl<{ id: string }>(join(app, 'reviews-run/dropped.jsonl'))
    const inputs = await readJsonl<{ id: string }>(join(REPO, 'data/text/reviews.jsonl'))
    expect([...labelled, ...dropped].map((record) => record.id).sort()).toEqual(inputs.map((input) => input.id).sort())
  }, 420_000)
})
