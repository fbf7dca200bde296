/** Parsed command line of `npm run bench -- [scenario...] [flags]`. */
export interface BenchArgs {
  /** Scenario names, in the order given; empty means all. */
  scenarios: string[]
  /** Folder for CPU profiles of the measured processes (`--profile [dir]`). */
  profileDir: string | undefined
  /** Update BENCHMARKS.md (off with `--no-write`). */
  write: boolean
  /** The file to update (`--file`). */
  file: string | undefined
  help: boolean
}

export const USAGE = `Usage: npm run bench -- [scenario...] [--profile [dir]] [--no-write] [--file BENCHMARKS.md]

Runs the benchmark scenarios (all when none is named), prints a table for each and replaces
their generated sections of BENCHMARKS.md.

  --profile [dir]   write V8 CPU profiles of the measured engine processes (default bench-profiles/)
  --no-write        print only; leave BENCHMARKS.md alone
  --file <path>     the Markdown file to update (default: BENCHMARKS.md at the repository root)`

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { scenarios: [], profileDir: undefined, write: true, file: undefined, help: false }
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!
    if (arg === '--help' || arg === '-h') args.help = true
    else if (arg === '--no-write') args.write = false
    else if (arg === '--profile') {
      const next = argv[index + 1]
      if (next !== undefined && !next.startsWith('-') && next.includes('/')) {
        args.profileDir = next
        index++
      } else {
        args.profileDir = 'bench-profiles'
      }
    } else if (arg.startsWith('--profile=')) args.profileDir = arg.slice('--profile='.length)
    else if (arg === '--file') {
      const next = argv[++index]
      if (next === undefined) throw new Error('--file needs a path')
      args.file = next
    } else if (arg.startsWith('-')) throw new Error(`unknown flag ${arg}\n\n${USAGE}`)
    else args.scenarios.push(arg)
  }
  return args
}
