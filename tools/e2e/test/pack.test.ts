import { execFile } from 'node:child_process'
import { readdir, writeFile, copyFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO, readJsonl, tempDir } from './support.js'

const run = promisify(execFile)

/** Every publishable workspace package (tools are private). */
async function publishable(): Promise<string[]> {
  const folders: string[] = []
  for (const parent of ['packages', 'plugins'])
    for (const name of await readdir(join(REPO, parent))) folders.push(join(REPO, parent, name))
  return folders
}

describe('npm pack', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    dir = await tempDir('dataflow-pack-')
  })
  afterAll(async () => {
    await dir.remove()
  })

  it('gives tarballs that install and run a pipeline outside the repo', async () => {
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
    await run('mkdir', ['-p', app])
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }))
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], {
      cwd: app,
      timeout: 240_000,
    })
    // better-sqlite3 compiles its addon in an install script (~95 s here, no prebuilt download
    // offline). What this test checks is our tarballs, so the addon the workspace already built
    // for this Node ABI is copied in, as a prebuilt download would be.
    await run('cp', ['-r', join(REPO, 'node_modules/better-sqlite3/build'), join(app, 'node_modules/better-sqlite3/')])
    await copyFile(join(REPO, 'pipelines/examples/data/reviews.jsonl'), join(app, 'reviews.jsonl'))
    await writeFile(
      join(app, 'count.js'),
      [
        "import { defineNode } from '@dataflow/sdk'",
        "export default defineNode({ specVersion: 1, name: 'count', description: 'length', config: { type: 'object', additionalProperties: false },",
        "  writes: { type: 'object', properties: { n: { type: 'integer' } } },",
        '  create: () => ({ process: (input) => ({ n: String(input.item.text).length }) }) })',
      ].join('\n'),
    )
    await writeFile(
      join(app, 'p.yaml'),
      [
        'version: 1',
        'name: outside',
        'source: { uses: "@dataflow/plugin-source-jsonl", with: { path: reviews.jsonl } }',
        'nodes: { count: { uses: ./count.js } }',
        'sinks: { out: { uses: "@dataflow/plugin-sink-jsonl", with: { path: out.jsonl }, select: { id: id, n: count.n } } }',
      ].join('\n'),
    )
    const bin = join(app, 'node_modules/.bin/dataflow')
    await run(bin, ['validate', 'p.yaml'], { cwd: app })
    await run(bin, ['validate', join(REPO, 'pipelines/capflow.yaml')], { cwd: app })
    await run(bin, ['run', 'p.yaml', '--out', 'run', '--quiet'], { cwd: app })
    const records = await readJsonl<{ id: string; n: number }>(join(app, 'run/out.jsonl'))
    expect(records.map((record) => record.id).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'])
  }, 300_000)
})
