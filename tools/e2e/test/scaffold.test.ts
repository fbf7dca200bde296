import { execFile } from 'node:child_process'
import { mkdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify, stripVTControlCharacters } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { REPO, tempDir } from './support.js'

const run = promisify(execFile)

/** Offline install: the scaffolded package's dependencies linked from the workspace. */
async function linkDependencies(folder: string): Promise<void> {
  const links: Record<string, string> = {
    '@dataflow/sdk': join(REPO, 'packages/sdk'),
    typescript: join(REPO, 'node_modules/typescript'),
    vitest: join(REPO, 'node_modules/vitest'),
    '@types/node': join(REPO, 'node_modules/@types/node'),
  }
  for (const [name, target] of Object.entries(links)) {
    await mkdir(join(folder, 'node_modules', name, '..'), { recursive: true })
    await symlink(target, join(folder, 'node_modules', name), 'dir')
  }
}

describe('dataflow new node', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    dir = await tempDir('dataflow-scaffold-')
  })
  afterAll(async () => {
    await dir.remove()
  })

  it('scaffolds a TypeScript plugin package outside the repo that builds and passes its own tests', async () => {
    const created = await runCli(['new', 'node', '@acme/plugin-summary', '--dir', dir.path])
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const folder = join(dir.path, 'plugin-summary')
    const manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>
    expect(manifest).toMatchObject({
      name: '@acme/plugin-summary',
      peerDependencies: { '@dataflow/sdk': '^0.1.0' },
      keywords: ['dataflow-plugin'],
    })
    expect(manifest['dependencies']).toBeUndefined()
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toContain('| `model` | model name | `"llm"` |')

    await linkDependencies(folder)
    await run(process.execPath, [join(folder, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: folder,
    })
    const built = (await import(join(folder, 'dist/index.js'))) as { default: { specVersion: number; name: string } }
    expect(built.default).toMatchObject({ specVersion: 1, name: '@acme/plugin-summary' })
    const tests = await run(process.execPath, [join(folder, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: folder,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    })
    expect(stripVTControlCharacters(tests.stdout)).toMatch(/Tests\s+4 passed/)

    const again = await runCli(['new', 'node', '@acme/plugin-summary', '--dir', dir.path])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists')
  }, 180_000)
})
