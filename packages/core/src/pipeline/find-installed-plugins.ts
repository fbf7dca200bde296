import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** The keyword that marks an npm package as a dataflow plugin (`keywords` in its package.json). */
export const PLUGIN_KEYWORD = 'dataflow-plugin'

/**
 * Names of the dataflow plugin packages installed in the `node_modules` folders seen from each
 * of `from` (a folder, and its parents as Node resolution walks them), sorted, without repeats.
 */
export function findInstalledPlugins(from: readonly string[]): string[] {
  const names = new Set<string>()
  for (const start of from) {
    for (let folder = resolve(start); ; folder = dirname(folder)) {
      const modules = join(folder, 'node_modules')
      if (existsSync(modules))
        for (const name of packagesIn(modules)) if (isPlugin(join(modules, name))) names.add(name)
      if (dirname(folder) === folder) break
    }
  }
  return [...names].sort()
}

function packagesIn(modules: string): string[] {
  const names: string[] = []
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(join(modules, entry.name))) names.push(`${entry.name}/${scoped}`)
    } else names.push(entry.name)
  }
  return names
}

function isPlugin(folder: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { keywords?: unknown }
    return Array.isArray(manifest.keywords) && manifest.keywords.includes(PLUGIN_KEYWORD)
  } catch {
    return false
  }
}
