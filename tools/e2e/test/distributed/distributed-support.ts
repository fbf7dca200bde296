import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { FIXTURES, startCli, type CliResult } from '../run-cli.js'

export const PIPELINE = join(FIXTURES, 'three-nodes.yaml')

/** `count` items for the three-node fixture: every third asks the model, every tenth fails. */
export async function writeItems(path: string, count: number): Promise<string[]> {
  const lines: string[] = []
  const ids: string[] = []
  for (let index = 0; index < count; index++) {
    const id = `item-${String(index).padStart(5, '0')}`
    ids.push(id)
    const text = index % 3 === 0 ? `word ${index} and five more words here` : `short ${index}`
    lines.push(JSON.stringify({ id, text, n: index, ...(index % 10 === 7 ? { fail: true } : {}) }))
  }
  await writeFile(path, `${lines.join('\n')}\n`)
  return ids
}

/** `--set` flags that point the fixture at an items file. */
export const itemsSet = (items: string) => ['--set', `source.with.path=${items}`]

/** Every record of the distributed run's `out` sink, from the files listed in outputs.txt. */
export async function readDistributedOutputs(runDir: string): Promise<Array<Record<string, unknown>>> {
  const files = (await readFile(join(runDir, 'outputs.txt'), 'utf8')).split('\n').filter(Boolean)
  const records: Array<Record<string, unknown>> = []
  for (const file of files.filter((name) => /out[^/]*\.jsonl$/.test(name)))
    for (const line of (await readFile(file, 'utf8')).split('\n').filter(Boolean))
      records.push(JSON.parse(line) as Record<string, unknown>)
  return records
}

export const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a['id']).localeCompare(String(b['id']))

/** Worker processes of the built CLI; `stopAll` sends SIGTERM and waits. */
export function startWorkers(
  queue: string,
  count: number,
  env: NodeJS.ProcessEnv,
  extra: string[] = [],
): { workers: Array<{ child: ChildProcess; done: Promise<CliResult> }>; stopAll(): Promise<CliResult[]> } {
  const workers = Array.from({ length: count }, (_, index) =>
    startCli(['worker', '--queue', queue, '--lease', '2', '--name', `w${index}`, '--cache', 'off', ...extra], env),
  )
  return {
    workers,
    async stopAll() {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM')
      return Promise.all(workers.map((worker) => worker.done))
    },
  }
}
