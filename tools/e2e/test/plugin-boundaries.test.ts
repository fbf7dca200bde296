import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from './support.js'

// What plugin code imports is checked by the lint rule dataflow/module-boundaries (eslint.config.js);
// this checks what plugins declare, which a user's npm install will bring in.
describe('plugin boundaries', () => {
  it('every plugin depends on @dataflow/sdk only', async () => {
    const plugins = await readdir(join(REPO, 'plugins'))
    expect(plugins.length).toBeGreaterThan(10)
    for (const plugin of plugins) {
      const manifest = JSON.parse(await readFile(join(REPO, 'plugins', plugin, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>
      }
      expect(Object.keys(manifest.dependencies ?? {}), plugin).toEqual(['@dataflow/sdk'])
    }
  })
})
