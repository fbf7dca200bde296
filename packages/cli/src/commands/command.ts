import type { FlagTable } from '../flags.js'
import type { ParsedFlags } from '../parse-command-line.js'

export interface CommandIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  /** Process signals, injectable for tests. */
  onSignal(signal: 'SIGINT' | 'SIGTERM', listener: () => void): () => void
}

/** A subcommand of `dataflow`: its flags, help text and action. Returns the exit code. */
export interface Command<T extends FlagTable> {
  name: string
  usage: string
  summary: string
  flags: T
  /** Positional arguments required (the pipeline file, the run directory...). Default 1. */
  positionals?: number
  /** Positional arguments allowed, when some are optional. Default: `positionals`. */
  maxPositionals?: number
  /** True: `positionals` or more (a list of run directories). */
  variadic?: boolean
  run(context: { flags: ParsedFlags<T>; positionals: string[]; io: CommandIo }): Promise<number>
}
