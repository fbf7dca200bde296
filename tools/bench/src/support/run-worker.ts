import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerJob } from '../worker.js'
import { forkChild } from './child-channel.js'
import { summariseProfile } from './summarise-profile.js'

const WORKER = fileURLToPath(new URL('../worker.js', import.meta.url))

export interface WorkerOptions {
  /** Write a V8 CPU profile of the job into this folder (`node --cpu-prof`). */
  profileDir?: string | undefined
  /** Label of the profile file. */
  label?: string
}

/**
 * Runs one job in a fresh `node --expose-gc` child and returns its answer. `BENCH_NODE_FLAGS`
 * adds Node flags to that child (e.g. `--max-semi-space-size=32` for GC experiments). When
 * profiling, prints where the child's CPU time went, by package.
 */
export async function runWorker<TResult>(job: WorkerJob, options: WorkerOptions = {}): Promise<TResult> {
  const execArgv = ['--expose-gc', ...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? [])]
  const profile =
    options.profileDir === undefined
      ? undefined
      : join(options.profileDir, `${options.label ?? job.type}-${Date.now()}.cpuprofile`)
  if (profile !== undefined)
    execArgv.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      options.profileDir!,
      '--cpu-prof-name',
      profile.slice(options.profileDir!.length + 1),
    )
  const child = forkChild(WORKER, execArgv)
  try {
    return await child.request<TResult>({ ...job })
  } finally {
    child.request({ type: 'exit' }).catch(() => undefined)
    const timer = setTimeout(() => child.kill(), 5000)
    await child.exited
    clearTimeout(timer)
    if (profile !== undefined) await printProfile(profile)
  }
}

async function printProfile(path: string): Promise<void> {
  try {
    const { busyMs, shares } = await summariseProfile(path)
    const lines = shares
      .slice(0, 12)
      .map(
        (share) =>
          `    ${share.ms.toFixed(0).padStart(7)} ms ${((100 * share.ms) / busyMs).toFixed(1).padStart(5)}%  ${share.owner}`,
      )
    console.log(
      `  profile ${path}: ${busyMs.toFixed(0)} ms busy on the main thread, by package that asked for the work:\n${lines.join('\n')}`,
    )
  } catch (error) {
    console.log(`  profile ${path}: not readable (${(error as Error).message})`)
  }
}
