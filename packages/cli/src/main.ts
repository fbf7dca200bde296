import { isDataflowError } from '@dataflow/sdk'
import { formatFlags, type FlagTable } from './flags.js'
import { graphCommand } from './commands/graph-command.js'
import { inspectCommand } from './commands/inspect-command.js'
import { mergeCommand } from './commands/merge-command.js'
import { reportCommand } from './commands/report-command.js'
import { rerunCommand } from './commands/rerun-command.js'
import { runCommand } from './commands/run-command.js'
import { schemaCommand } from './commands/schema-command.js'
import { newCommand } from './commands/new-command.js'
import { previewCommand } from './commands/preview-command.js'
import { validateCommand } from './commands/validate-command.js'
import type { Command, CommandIo } from './commands/command.js'
import { parseCommandLine } from './parse-command-line.js'

const COMMANDS: Array<Command<FlagTable>> = [
  runCommand,
  rerunCommand,
  inspectCommand,
  mergeCommand,
  reportCommand,
  validateCommand,
  graphCommand,
  previewCommand,
  schemaCommand,
  newCommand,
] as never

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2
  return [
    'dataflow: run YAML pipeline graphs of model calls over large multimodal datasets',
    '',
    'usage: dataflow <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Run `dataflow <command> --help` for its options.',
    'Exit codes: 0 ok, 1 item errors above --max-error-rate (or a guard stopped the run), 2 invalid pipeline, usage or a refused resume (DATAFLOW_RESUME_MISMATCH), 130/143 stopped by SIGINT/SIGTERM.',
    '',
  ].join('\n')
}

function commandHelp(command: Command<FlagTable>): string {
  return `${command.summary}\n\nusage: ${command.usage}\n\noptions:\n${formatFlags(command.flags)}\n`
}

/** Runs the CLI; returns the process exit code. */
export async function main(args: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help())
    return name === undefined ? 2 : 0
  }
  if (name === '--version') {
    const { createRequire } = await import('node:module')
    io.stdout.write(`${(createRequire(import.meta.url)('../package.json') as { version: string }).version}\n`)
    return 0
  }
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    io.stderr.write(`unknown command "${name}"\n\n${help()}`)
    return 2
  }
  try {
    const { flags, positionals } = parseCommandLine(rest, command.flags)
    if (flags['help']) {
      io.stdout.write(commandHelp(command))
      return 0
    }
    const needed = command.positionals ?? 1
    const allowed = command.maxPositionals ?? needed
    if (command.variadic ? positionals.length < needed : positionals.length < needed || positionals.length > allowed) {
      const count = command.variadic
        ? `at least ${needed} argument${needed === 1 ? '' : 's'}`
        : `${allowed === needed ? `${needed}` : `${needed} to ${allowed}`} argument${allowed === 1 ? '' : 's'}`
      io.stderr.write(`${command.name} takes ${count}\n\n${commandHelp(command)}`)
      return 2
    }
    return await command.run({ flags, positionals, io })
  } catch (error) {
    // Problems found before any item ran (settings, plugins, dataset files) say what to fix and exit 2.
    if (
      isDataflowError(error) &&
      (error.category === 'config' || error.category === 'data' || error.category === 'plugin')
    ) {
      io.stderr.write(`${error.code}: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\nNothing was run.\n`)
      return 2
    }
    io.stderr.write(
      `${isDataflowError(error) ? `${error.code}: ` : ''}${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    return 1
  }
}
