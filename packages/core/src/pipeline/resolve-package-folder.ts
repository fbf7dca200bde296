import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The entry module of a package folder and the package's version. */
export interface PackageFolderEntry {
  modulePath: string
  version: string | undefined
}

/**
 * For `uses: ./my-plugin` naming a folder with a package.json: the module its `exports` give for
 * `.` (conditions `import`, `node`, `default`), else its `main`, else `index.js`. Undefined when
 * the path is not such a folder; a folder whose entry is missing throws with what to fix.
 */
export function resolvePackageFolder(folder: string): PackageFolderEntry | undefined {
  const manifestPath = join(folder, 'package.json')
  if (!isDirectory(folder) || !existsSync(manifestPath)) return undefined
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports?: unknown
    main?: unknown
    version?: unknown
  }
  const target =
    manifest.exports !== undefined
      ? pickExport(manifest.exports, '.')
      : typeof manifest.main === 'string'
        ? manifest.main
        : 'index.js'
  if (target === undefined)
    throw new Error(`${manifestPath} exports nothing for "." under the import, node or default condition`)
  const modulePath = join(folder, target)
  if (!existsSync(modulePath))
    throw new Error(`${manifestPath} points at ${target}, which does not exist (build the package first?)`)
  return { modulePath, version: typeof manifest.version === 'string' ? manifest.version : undefined }
}

/** The target of `subpath` in an `exports` map, under the conditions an ESM import uses. */
export function pickExport(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined
  if (typeof exports !== 'object' || exports === null) return undefined
  const entries = exports as Record<string, unknown>
  const conditional = !Object.keys(entries).some((key) => key.startsWith('.'))
  const entry = conditional ? (subpath === '.' ? entries : undefined) : entries[subpath]
  return pickCondition(entry)
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (typeof entry !== 'object' || entry === null) return undefined
  for (const condition of ['import', 'node', 'default']) {
    const found = pickCondition((entry as Record<string, unknown>)[condition])
    if (found !== undefined) return found
  }
  return undefined
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
