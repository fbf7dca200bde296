/** Programmatic entry of the `dataflow` command (the bin is dist/bin.js). */
export { main } from './main.js'
export type { Command, CommandIo } from './commands/command.js'
