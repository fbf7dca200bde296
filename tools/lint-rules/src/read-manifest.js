// @ts-check
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * What a package.json declares, as the module-boundaries rule needs it.
 * @typedef {object} Manifest
 * @property {string} dir folder of the package.json
 * @property {string | undefined} name
 * @property {Set<string>} dependencies dependencies, peerDependencies and optionalDependencies
 * @property {Set<string>} devDependencies
 * @property {string[] | undefined} workspaces workspace globs (root only)
 */

/** @type {Map<string, Manifest | null>} */
const byFolder = new Map()

/**
 * The manifest of the package that owns `folder`: the nearest package.json at or above it.
 * @param {string} folder
 * @returns {Manifest | null}
 */
export function readOwningManifest(folder) {
  const known = byFolder.get(folder)
  if (known !== undefined) return known
  const file = join(folder, 'package.json')
  const parent = dirname(folder)
  const manifest = existsSync(file) ? toManifest(folder, file) : parent === folder ? null : readOwningManifest(parent)
  byFolder.set(folder, manifest)
  return manifest
}

/**
 * Names of the packages of the workspaces that `root` declares (`"workspaces": ["packages/*", ...]`).
 * @param {Manifest} root
 * @returns {Set<string>}
 */
export function workspacePackageNames(root) {
  const names = new Set()
  for (const pattern of root.workspaces ?? []) {
    if (!pattern.endsWith('/*')) continue
    const parent = join(root.dir, pattern.slice(0, -2))
    if (!existsSync(parent)) continue
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const manifest = entry.isDirectory() ? join(parent, entry.name, 'package.json') : ''
      if (manifest && existsSync(manifest)) names.add(JSON.parse(readFileSync(manifest, 'utf8')).name)
    }
  }
  return names
}

/**
 * @param {string} dir
 * @param {string} file
 * @returns {Manifest}
 */
function toManifest(dir, file) {
  const json = JSON.parse(readFileSync(file, 'utf8'))
  /** @param {...(Record<string, string> | undefined)} groups */
  const keys = (...groups) => new Set(groups.flatMap((group) => Object.keys(group ?? {})))
  return {
    dir,
    name: json.name,
    dependencies: keys(json.dependencies, json.peerDependencies, json.optionalDependencies),
    devDependencies: keys(json.devDependencies),
    workspaces: Array.isArray(json.workspaces) ? json.workspaces : undefined,
  }
}
