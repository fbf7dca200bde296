import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { DataflowError, renderConfigTable, withConfigTable } from '@dataflow/sdk'
import { CONFIG_SCHEMA_TS, INDEX_TEST_TS, INDEX_TS, README_MD, README_TEST_TS, TSCONFIG_JSON } from './node-template.js'
import { scaffoldConfigSchema } from './scaffold-config-schema.js'

/** Versions the scaffolded package pins for building and testing (those proven with this repo). */
export const DEV_VERSIONS = { typescript: '6.0.3', vitest: '4.1.12', '@types/node': '20.19.9' } as const

export interface ScaffoldNodeOptions {
  /** Package name: `alt-text`, `@acme/plugin-alt-text`. */
  name: string
  /** Parent folder; the package goes to `<parent>/<last part of the name>`. */
  parent: string
  /** Version of @dataflow/sdk to depend on (this CLI's). */
  sdkVersion: string
}

const NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/

/** Writes a TypeScript plugin package with one node that calls a model; returns its folder. */
export async function scaffoldNode(options: ScaffoldNodeOptions): Promise<string> {
  if (!NAME.test(options.name)) {
    throw new DataflowError('DATAFLOW_USAGE', `"${options.name}" is not an npm package name`, {
      hint: 'use lowercase letters, digits, - . _, optionally with a scope: alt-text or @acme/plugin-alt-text',
    })
  }
  const folderName = options.name.split('/').pop()!
  const folder = resolve(options.parent, folderName)
  if (existsSync(folder)) {
    throw new DataflowError('DATAFLOW_USAGE', `${folder} already exists`, {
      hint: 'choose another name, or remove the folder',
    })
  }
  const fill = (text: string) =>
    text
      .replaceAll('{{packageName}}', options.name)
      .replaceAll('{{nodeId}}', folderName.replace(/^plugin-/, ''))
      .replaceAll('{{usesExample}}', `"${options.name}"   # or a path to this folder: ./${folderName}`)
  const readme = withConfigTable(fill(README_MD), renderConfigTable(scaffoldConfigSchema))
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(manifest(options), null, 2)}\n`,
    'tsconfig.json': TSCONFIG_JSON,
    '.gitignore': 'node_modules\ndist\n',
    'README.md': readme,
    'src/config-schema.ts': CONFIG_SCHEMA_TS,
    'src/index.ts': fill(INDEX_TS),
    'src/index.test.ts': fill(INDEX_TEST_TS),
    'src/readme.test.ts': README_TEST_TS,
  }
  await mkdir(join(folder, 'src'), { recursive: true })
  for (const [path, text] of Object.entries(files)) await writeFile(join(folder, path), text)
  return folder
}

function manifest(options: ScaffoldNodeOptions): Record<string, unknown> {
  return {
    name: options.name,
    version: '0.1.0',
    description: 'A dataflow node that asks a model about a text field of each item.',
    type: 'module',
    engines: { node: '>=20' },
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist', '!dist/**/*.test.*', 'README.md'],
    keywords: ['dataflow-plugin'],
    scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
    peerDependencies: { '@dataflow/sdk': `^${options.sdkVersion}` },
    devDependencies: { '@dataflow/sdk': options.sdkVersion, ...DEV_VERSIONS },
  }
}
