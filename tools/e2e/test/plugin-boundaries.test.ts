import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from './support.js'

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

describe('plugin boundaries', () => {
  it('every plugin has @dataflow/sdk as its only dependency of ours, a peer (plus exactly pinned npm libraries), and its code imports nothing else', async () => {
    const plugins = await readdir(join(REPO, 'plugins'))
    expect(plugins.length).toBeGreaterThan(10)
    for (const plugin of plugins) {
      const manifest = JSON.parse(await readFile(join(REPO, 'plugins', plugin, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>
        devDependencies?: Record<string, string>
        peerDependencies?: Record<string, string>
      }
      // The SDK is a peer: at run time plugins share the CLI's copy (decision 0033).
      expect(manifest.peerDependencies, plugin).toEqual({ '@dataflow/sdk': '^0.1.0' })
      const testLibraries = Object.keys(manifest.devDependencies ?? {}).filter((name) => !name.startsWith('@dataflow/'))
      const dependencies = Object.keys(manifest.dependencies ?? {})
      expect(
        dependencies.filter((name) => name.startsWith('@dataflow/')),
        plugin,
      ).toEqual([])
      // A library a plugin needs (tar-stream, hyparquet) is its own dependency, pinned to one version.
      const libraries = dependencies.filter((name) => !name.startsWith('@dataflow/'))
      for (const name of libraries)
        expect(manifest.dependencies![name], `${plugin}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/)
      let sdkImports = 0
      for (const file of await sourceFiles(join(REPO, 'plugins', plugin, 'src'))) {
        const test = /\.test\.ts$/.test(file)
        for (const match of (await readFile(file, 'utf8')).matchAll(IMPORT)) {
          const specifier = match[1] ?? match[2]!
          if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
          if (specifier === '@dataflow/sdk') sdkImports++
          // Tests may use the real implementations of what the engine injects: media tools and
          // the expression compiler (`compileNodeExpression` of @dataflow/core).
          const allowed = test
            ? specifier.startsWith('@dataflow/sdk') ||
              ['vitest', 'pino', '@dataflow/media', '@dataflow/core', 'rxjs'].includes(specifier) ||
              [...libraries, ...testLibraries].some((name) => specifier === name || specifier.startsWith(`${name}/`))
            : specifier === '@dataflow/sdk' || libraries.includes(specifier)
          expect(allowed, `${file} imports ${specifier}`).toBe(true)
        }
      }
      expect(sdkImports, `${plugin} never imports @dataflow/sdk`).toBeGreaterThan(0)
    }
  })
})
