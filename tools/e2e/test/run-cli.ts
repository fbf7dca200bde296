import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/cli/dist/bin.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Simulated answers must never reach the user's real request cache: tests get their own, per process. */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'dataflow-e2e-cache-'))

/**
 * Spawns the built `dataflow` CLI as a user would (with a throwaway request cache unless `env` names
 * one). `wrap` runs it through another command (e.g. `ip netns exec <namespace>`).
 */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  wrap: string[] = [],
): { child: ChildProcess; done: Promise<CliResult> } {
  const command = [...wrap, process.execPath, BIN, ...args]
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, DATAFLOW_CACHE_DIR: CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

export const runCli = (args: string[], env?: NodeJS.ProcessEnv) => startCli(args, env).done

/** Resolves once the child's stderr matches `pattern` (an event to act on instead of a sleep); rejects if it exits first. */
export function waitForStderr(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (!match) return
      child.stderr!.off('data', onData)
      child.off('close', onClose)
      resolve(match[0])
    }
    const onClose = () => reject(new Error(`the CLI exited before its stderr matched ${pattern}:\n${seen}`))
    child.stderr!.on('data', onData)
    child.on('close', onClose)
  })
}
