// @ts-check
import { isBuiltin } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'
import { readOwningManifest, workspacePackageNames } from './read-manifest.js'

/**
 * @typedef {object} Options
 * @property {boolean} [dev] the file is a test, test support, script or config that is never
 *   published: it may also import the package's devDependencies and the workspace root's tooling
 *   (vitest, typescript...). Default false.
 * @property {string[]} [only] packages the file may import at all, declared or not (plugins:
 *   `['@dataflow/sdk']`). Default: any declared package.
 * @property {string} [scope] limits `only` to package names with this prefix (plugins:
 *   `'@dataflow/'`: of ours only the SDK, while declared npm libraries stay allowed).
 * @property {string} [because] why `only` holds, appended to its message.
 */

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
export function toPackageName(/** @type {string} */ specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : /** @type {string} */ (parts[0])
}

/**
 * Every bare import names a package its package.json declares (devDependencies only in dev
 * files), a relative import stays inside its package, and `only` narrows what may be imported.
 * Files outside any workspace package (demo, generators, examples) belong to the private root:
 * they may use its devDependencies and the workspace packages.
 * @type {import('eslint').Rule.RuleModule}
 */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports stay within what the package declares; plugins import only @dataflow/sdk' },
    schema: [
      {
        type: 'object',
        properties: {
          dev: { type: 'boolean' },
          only: { type: 'array', items: { type: 'string' } },
          scope: { type: 'string' },
          because: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      undeclared:
        "'{{name}}' is not declared in {{manifest}}: add it to {{where}}, or import something that is declared",
      devOnly:
        "'{{name}}' is only a devDependency of {{manifest}}, and this file is published: move it to dependencies, or keep the import in tests and tools",
      notAllowed: "this file may import only {{only}} and node built-ins, not '{{name}}'{{because}}",
      leavesPackage: "'{{specifier}}' reaches outside {{package}}: import the other package by its name and declare it",
    },
  },
  create(context) {
    /** @type {Options} */
    const options = context.options[0] ?? {}
    const filename = context.physicalFilename
    const owner = readOwningManifest(dirname(filename))
    if (!owner) return {}
    const root = owner.workspaces ? owner : findRoot(owner.dir)
    const ownedByRoot = owner === root

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string' || !owner) return
      if (value.startsWith('.') || value.startsWith('/')) {
        const target = resolve(dirname(filename), value)
        if (!ownedByRoot && !target.startsWith(owner.dir + sep)) {
          context.report({
            node,
            messageId: 'leavesPackage',
            data: { specifier: value, package: owner.name ?? owner.dir },
          })
        }
        return
      }
      if (isBuiltin(value)) return
      const name = toPackageName(value)
      const scoped = options.scope === undefined || name.startsWith(options.scope)
      if (options.only && scoped && !options.only.includes(name)) {
        const because = options.because ? `: ${options.because}` : ''
        context.report({ node, messageId: 'notAllowed', data: { name, only: options.only.join(', '), because } })
        return
      }
      if (name === owner.name || owner.dependencies.has(name)) return
      const dev = options.dev || ownedByRoot
      const rootTools = root ? root.devDependencies.has(name) || root.dependencies.has(name) : false
      if (dev && (owner.devDependencies.has(name) || rootTools)) return
      if (ownedByRoot && root && workspaceNames(root).has(name)) return
      const manifest = relative(root?.dir ?? owner.dir, `${owner.dir}${sep}package.json`)
      if (!dev && owner.devDependencies.has(name)) {
        context.report({ node, messageId: 'devOnly', data: { name, manifest } })
        return
      }
      const where = dev ? 'devDependencies' : 'dependencies'
      context.report({ node, messageId: 'undeclared', data: { name, manifest, where } })
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      /** TypeScript `typeof import('x')` types. @param {any} node */
      TSImportType: (node) => check(node, node.argument?.literal?.value),
    }
  },
}

/** @type {Map<string, Set<string>>} */
const namesByRoot = new Map()

/** @param {import('./read-manifest.js').Manifest} root */
function workspaceNames(root) {
  let names = namesByRoot.get(root.dir)
  if (!names) namesByRoot.set(root.dir, (names = workspacePackageNames(root)))
  return names
}

/** The workspace root above a package: the nearest manifest that declares workspaces. */
function findRoot(/** @type {string} */ dir) {
  for (
    let manifest = readOwningManifest(dirname(dir));
    manifest;
    manifest = readOwningManifest(dirname(manifest.dir))
  ) {
    if (manifest.workspaces) return manifest
    if (dirname(manifest.dir) === manifest.dir) return null
  }
  return null
}
