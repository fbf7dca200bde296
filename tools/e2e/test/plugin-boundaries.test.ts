import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from './support.js'

// What plugin code imports is checked by the lint rule dataflow/module-boundaries (eslint.config.js);
// this checks what plugins declare, which a user's npm install will bring in.
describe('plugin boundaries', () => {
  it('every plugin depends on @dataflow/sdk only of ours, plus exactly pinned npm libraries', async () => {
    const plugins = await readdir(join(REPO, 'plugins'))
    expect(plugins.length).toBeGreaterThan(10)
    for (const plugin of plugins) {
      const manifest = JSON.parse(await readFile(join(REPO, 'plugins', plugin, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>
      }
      const dependencies = Object.keys(manifest.dependencies ?? {})
      expect(
        dependencies.filter((name) => name.startsWith('@dataflow/')),
        plugin,
      ).toEqual(['@dataflow/sdk'])
      // A library a plugin needs (tar-stream, hyparquet) is its own dependency, pinned to one version.
      for (const name of dependencies.filter((name) => !name.startsWith('@dataflow/')))
        expect(manifest.dependencies![name], `${plugin}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/)
    }
  })
})
