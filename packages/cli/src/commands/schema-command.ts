import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { collectEditorPlugins, buildEditorSchema, readPipelineSchema } from '@dataflow/core'
import { COMMON_FLAGS } from '../flags.js'
import { RESOLVE_FROM } from '../load-or-report.js'
import type { Command } from './command.js'

export const SCHEMA_FLAGS = {
  help: COMMON_FLAGS.help,
  out: {
    type: 'string',
    short: 'o',
    value: '<file>',
    description: 'Write the schema to this file instead of standard output.',
  },
} as const

export const schemaCommand: Command<typeof SCHEMA_FLAGS> = {
  name: 'schema',
  usage: 'dataflow schema [pipeline.yaml] [--out file.json]',
  summary:
    "Write the pipeline JSON Schema for editors, with each plugin's `with:` settings: the plugins a pipeline uses, or every installed one.",
  flags: SCHEMA_FLAGS,
  positionals: 0,
  maxPositionals: 1,
  async run({ flags, positionals, io }) {
    const file = positionals[0]
    const plugins = await collectEditorPlugins({
      ...(file === undefined ? {} : { pipeline: resolve(file) }),
      resolveFrom: RESOLVE_FROM,
    })
    for (const problem of plugins.problems) io.stderr.write(`skipped ${problem.uses}: ${problem.message}\n`)
    const text = `${JSON.stringify(buildEditorSchema(readPipelineSchema(), plugins.found), null, 2)}\n`
    if (flags.out === undefined) io.stdout.write(text)
    else {
      await writeFile(flags.out, text)
      io.stderr.write(
        `wrote ${flags.out} (${plugins.found.length} plugins); point a pipeline at it with a first line\n# yaml-language-server: $schema=<path to ${flags.out}>\n`,
      )
    }
    return 0
  },
}
