import { createRequire } from 'node:module'
import { relative } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import { COMMON_FLAGS } from '../flags.js'
import { scaffoldNode } from '../scaffold/scaffold-node.js'
import type { Command } from './command.js'

export const NEW_FLAGS = {
  help: COMMON_FLAGS.help,
  dir: {
    type: 'string',
    value: '<folder>',
    description: 'Folder to create the package in (default: the current folder).',
  },
} as const

export const newCommand: Command<typeof NEW_FLAGS> = {
  name: 'new',
  usage: 'dataflow new node <package-name> [--dir folder]',
  summary: 'Scaffold a TypeScript plugin package: a node that calls a model, its tests, README and config schema.',
  flags: NEW_FLAGS,
  positionals: 2,
  async run({ flags, positionals, io }) {
    const [what, name] = positionals as [string, string]
    if (what !== 'node')
      throw new DataflowError('DATAFLOW_USAGE', `dataflow new makes a node, not "${what}"`, {
        hint: 'dataflow new node <package-name>',
      })
    const sdkVersion = (createRequire(import.meta.url)('@dataflow/sdk/package.json') as { version: string }).version
    const folder = await scaffoldNode({ name, parent: flags.dir ?? process.cwd(), sdkVersion })
    const shown = relative(process.cwd(), folder) || '.'
    io.stdout.write(
      [
        `created ${shown}`,
        '',
        `  cd ${shown}`,
        `  npm install --save-dev <folder>/dataflow-sdk-${sdkVersion}.tgz   # the SDK (a peer) is on no registry yet: its npm pack tarball; this installs the rest too`,
        '  npm run build && npm test',
        '',
        `then in a pipeline: uses: ${shown.startsWith('.') ? shown : `./${shown}`}   (a package folder) or "${name}" once installed`,
        '',
      ].join('\n'),
    )
    return 0
  },
}
