import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DataflowError } from '@dataflow/sdk'
import { pickExport, resolvePackageFolder, type PackageFolderEntry } from './resolve-package-folder.js'

/** A plugin module found and imported. */
export interface PluginModule {
  /** Absolute path of the imported file. */
  modulePath: string
  /** Version from the plugin package's package.json (undefined for local files). */
  version: string | undefined
  /** The module's default export (not checked yet). */
  exported: unknown
}

export interface ResolvePluginOptions {
  /** The pipeline file's folder: relative paths and packages resolve from here first. */
  dir: string
  /** More places to look for packages (files or folders), in order; e.g. the CLI's own location and the cwd. */
  resolveFrom?: readonly string[]
}

/**
 * Finds and imports what `uses:` names: a path (`./my-node.js`, against the pipeline folder), a
 * package folder (`./my-plugin`, its `exports`), or an npm package, looked up from the pipeline
 * folder then each of `resolveFrom`.
 * Throws DATAFLOW_PLUGIN_NOT_FOUND or DATAFLOW_PLUGIN_INVALID (the module failed to import).
 */
export async function resolvePlugin(uses: string, options: ResolvePluginOptions): Promise<PluginModule> {
  const local = isLocalSpecifier(uses)
  const bases = local ? [options.dir] : [options.dir, ...(options.resolveFrom ?? [])]
  const folder = local ? packageFolder(uses, options.dir) : undefined
  const modulePath = folder?.modulePath ?? findModule(uses, bases)
  if (modulePath === undefined) {
    if (local) {
      throw new DataflowError('DATAFLOW_PLUGIN_NOT_FOUND', `no plugin module at ${resolve(options.dir, uses)}`, {
        hint: 'check the path: it is relative to the folder of the pipeline file',
      })
    }
    const name = packageNameOf(uses)
    throw new DataflowError(
      'DATAFLOW_PLUGIN_NOT_FOUND',
      `cannot find the plugin package "${uses}" (looked from ${[...new Set(bases.map(toFolder))].join(', ')})`,
      {
        hint: `install it: npm install ${name}`,
      },
    )
  }
  let namespace: { default?: unknown }
  try {
    namespace = (await import(pathToFileURL(modulePath).href)) as { default?: unknown }
  } catch (error) {
    throw new DataflowError(
      'DATAFLOW_PLUGIN_INVALID',
      `the plugin "${uses}" failed to load: ${(error as Error).message ?? String(error)}`,
      {
        hint: 'fix the error in the plugin module (or reinstall the package)',
        cause: error,
      },
    )
  }
  return {
    modulePath,
    version: local ? folder?.version : readVersion(modulePath, packageNameOf(uses)),
    exported: namespace.default,
  }
}

/** A local `uses:` naming a package folder: its entry module and version (undefined for a plain file). */
function packageFolder(uses: string, dir: string): PackageFolderEntry | undefined {
  const path = uses.startsWith('file:') ? fileURLToPath(uses) : resolve(dir, uses)
  try {
    return resolvePackageFolder(path)
  } catch (error) {
    throw new DataflowError(
      'DATAFLOW_PLUGIN_NOT_FOUND',
      `the plugin folder ${path} has no usable entry module: ${(error as Error).message}`,
      {
        hint: 'give the package an `exports` (or `main`) that points at its built module',
      },
    )
  }
}

/** `./x.js`, `../x.js`, `/abs/x.js`, `file:///abs/x.js`. */
export function isLocalSpecifier(uses: string): boolean {
  return uses.startsWith('./') || uses.startsWith('../') || uses === '.' || uses.startsWith('file:') || isAbsolute(uses)
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

function findModule(uses: string, bases: readonly string[]): string | undefined {
  const specifier = uses.startsWith('file:') ? fileURLToPath(uses) : uses
  for (const base of bases) {
    const require = createRequire(join(toFolder(base), 'noop.js'))
    try {
      return require.resolve(specifier)
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
        const found = resolveImportOnly(require, specifier)
        if (found !== undefined) return found
      }
    }
  }
  return undefined
}

/** For ESM-only packages whose `exports` offer no `require`/`default` condition. */
function resolveImportOnly(require: NodeJS.Require, specifier: string): string | undefined {
  const name = packageNameOf(specifier)
  const subpath = `.${specifier.slice(name.length)}`
  for (const folder of require.resolve.paths(name) ?? []) {
    const manifest = join(folder, name, 'package.json')
    if (!existsSync(manifest)) continue
    const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports
    const target = pickExport(exports, subpath)
    return target === undefined ? undefined : join(folder, name, target)
  }
  return undefined
}

/** The version in the package.json of package `name` that contains `modulePath`. */
function readVersion(modulePath: string, name: string): string | undefined {
  for (let folder = dirname(modulePath); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown }
      if (parsed.name === name) return typeof parsed.version === 'string' ? parsed.version : undefined
    }
    if (dirname(folder) === folder) return undefined
  }
}

/** A base given as a file URL, a file or a folder -> its folder. */
function toFolder(base: string): string {
  const path = base.startsWith('file:') ? fileURLToPath(base) : resolve(base)
  try {
    return statSync(path).isDirectory() ? path : dirname(path)
  } catch {
    return dirname(path)
  }
}
