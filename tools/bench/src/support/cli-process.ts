import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { repoPath } from './paths.js'

const CLI = repoPath('packages/cli/dist/bin.js')
const CPU_ON_EXIT = fileURLToPath(new URL('./cpu-on-exit.js', import.meta.url))

/** A line of the process's stderr and when it arrived (performance.now()). */
export interface TimedLine {
  at: number
  text: string
}

/** A process of the built CLI (`dataflow ...`) whose stderr lines are kept with their arrival time. */
export interface CliProcess {
  child: ChildProcess
  lines: TimedLine[]
  /** Resolves with the first line (seen before or later, arrived after `after` when given) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number, after?: number): Promise<TimedLine>
  /** Exit code (128 + signal number when killed) once it has ended. */
  exited: Promise<number>
  /** CPU ms and peak RSS of the process, written by it as it exits (undefined after SIGKILL). */
  usage(): Promise<{ cpuMs: number; maxRssMb: number } | undefined>
}

/** Starts `dataflow <args>` with CPU accounting on exit; stdout is ignored, stderr is kept as timed lines. */
export function startCli(args: string[], env: Record<string, string>, usageFile: string): CliProcess {
  const child = spawn(process.execPath, ['--import', CPU_ON_EXIT, CLI, ...args], {
    env: { ...process.env, ...env, BENCH_CPU_FILE: usageFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const lines: TimedLine[] = []
  const waiters: Array<{ pattern: RegExp; after: number; resolve(line: TimedLine): void }> = []
  let rest = ''
  child.stderr.setEncoding('utf8').on('data', (data: string) => {
    const at = performance.now()
    const parts = (rest + data).split('\n')
    rest = parts.pop()!
    for (const text of parts) {
      const line = { at, text }
      lines.push(line)
      for (const waiter of waiters.filter((one) => at > one.after && one.pattern.test(text))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15))),
  )
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 120_000, after = -Infinity) {
      const seen = lines.find((line) => line.at > after && pattern.test(line.text))
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no stderr line matching ${pattern} within ${timeoutMs} ms:\n${tail(lines)}`)),
          timeoutMs,
        )
        const fail = () => reject(new Error(`dataflow ${args[0]} exited before ${pattern}:\n${tail(lines)}`))
        void exited.then(fail)
        waiters.push({
          pattern,
          after,
          resolve(line) {
            clearTimeout(timer)
            resolve(line)
          },
        })
      })
    },
    async usage() {
      await exited
      try {
        return JSON.parse(await readFile(usageFile, 'utf8')) as { cpuMs: number; maxRssMb: number }
      } catch {
        return undefined
      }
    },
  }
}

function tail(lines: TimedLine[]): string {
  return lines
    .slice(-20)
    .map((line) => line.text)
    .join('\n')
}
