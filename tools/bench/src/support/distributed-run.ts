import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { startCli, type CliProcess } from './cli-process.js'
import { benchPipeline } from './paths.js'
import type { BenchRedis } from './redis-process.js'
import type { SimFleet } from './sim-fleet.js'

/** One distributed run: `dataflow worker` processes and a `dataflow run --queue` coordinator of the built CLI. */
export interface DistributedRunSpec {
  redis: BenchRedis
  fleet: SimFleet
  /** Worker i talks to simulator i only (`--set models.llm.baseURL=...`). */
  workers: number
  items: number
  chunkSize: number
  /** Every n-th item calls the model (0: none). */
  sampleEvery: number
  leaseSeconds: number
  /** Temp folder: run directories and CPU files go here. */
  dir: string
  label: string
  /** Reads every output record (ids must be unique and all there); skip for very large runs. */
  checkRecords: boolean
  /** Called once all workers wait for chunks and the coordinator has started. */
  during?: (run: LiveRun) => Promise<void>
}

export interface LiveRun {
  workers: CliProcess[]
  coordinator: CliProcess
  runDir: string
  startedAt: number
}

export interface DistributedRunResult {
  wallMs: number
  coordinator: { cpuMs: number; maxRssMb: number }
  /** CPU of the workers that exited by themselves (SIGTERM at the end), summed. */
  workersCpuMs: number
  merged: { input: number; outcomes: Record<string, number> }
  /** Output records read back (when `checkRecords`), and how many distinct ids they have. */
  records?: { count: number; distinct: number }
  workers: CliProcess[]
}

/** Starts the workers, waits until each takes chunks, runs the coordinator to its end, stops the workers (SIGTERM). */
export async function runDistributed(spec: DistributedRunSpec): Promise<DistributedRunResult> {
  const runDir = join(spec.dir, `run-${spec.label}`)
  const cpuFile = (name: string) => join(spec.dir, `${spec.label}-${name}.cpu.json`)
  const workers = Array.from({ length: spec.workers }, (_, index) =>
    startCli(
      [
        'worker',
        '--queue',
        spec.redis.url,
        '--name',
        `w${index}`,
        '--lease',
        String(spec.leaseSeconds),
        '--cache',
        'off',
        '--set',
        `models.llm.baseURL=${spec.fleet.servers[index]!.url}`,
      ],
      {},
      cpuFile(`w${index}`),
    ),
  )
  try {
    await Promise.all(workers.map((worker) => worker.waitFor(/takes chunks from/)))
    const startedAt = performance.now()
    const coordinator = startCli(
      [
        'run',
        benchPipeline('distributed.yaml'),
        '--queue',
        spec.redis.url,
        '--out',
        runDir,
        '--chunk-size',
        String(spec.chunkSize),
        '--quiet',
        '--set',
        `source.with.count=${spec.items}`,
        '--set',
        `source.with.sampleEvery=${spec.sampleEvery}`,
      ],
      { BENCH_LLM_URL: spec.fleet.servers[0]!.url },
      cpuFile('coordinator'),
    )
    const during = spec.during?.({ workers, coordinator, runDir, startedAt })
    const code = await coordinator.exited
    const wallMs = performance.now() - startedAt
    await during
    if (code !== 0)
      throw new Error(`coordinator exited ${code}:\n${coordinator.lines.map((line) => line.text).join('\n')}`)
    const usage = await coordinator.usage()
    if (usage === undefined) throw new Error('the coordinator wrote no CPU figures')
    const merged = JSON.parse(
      await readFile(join(runDir, 'merged-report.json'), 'utf8'),
    ) as DistributedRunResult['merged']
    const records = spec.checkRecords ? await readRecords(runDir) : undefined
    const workersCpuMs = await stopWorkers(workers)
    return {
      wallMs,
      coordinator: usage,
      workersCpuMs,
      merged,
      ...(records ? { records } : {}),
      workers,
    }
  } finally {
    await stopWorkers(workers)
    await rm(runDir, { recursive: true, force: true })
  }
}

async function stopWorkers(workers: CliProcess[]): Promise<number> {
  for (const worker of workers)
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM')
  let cpuMs = 0
  for (const worker of workers) cpuMs += (await worker.usage())?.cpuMs ?? 0
  return cpuMs
}

async function readRecords(runDir: string): Promise<{ count: number; distinct: number }> {
  const files = (await readFile(join(runDir, 'outputs.txt'), 'utf8')).split('\n').filter(Boolean)
  const ids = new Set<string>()
  let count = 0
  for (const file of files.filter((name) => name.endsWith('.jsonl')))
    for (const line of (await readFile(file, 'utf8')).split('\n').filter(Boolean)) {
      count++
      ids.add(String((JSON.parse(line) as { id: unknown }).id))
    }
  return { count, distinct: ids.size }
}

/** Polls Redis until the chunk's BullMQ lock key is gone: the lease of its (dead) worker has expired. */
export async function waitForLeaseExpiry(redis: BenchRedis, chunkFolder: string, timeoutMs = 120_000): Promise<number> {
  const until = performance.now() + timeoutMs
  while (performance.now() < until) {
    const locks = await redis.cli('--scan', '--pattern', `bull:dataflow:*-${chunkFolder}:lock`)
    if (locks.trim() === '') return performance.now()
    await delay(100)
  }
  throw new Error(`chunk ${chunkFolder} still leased after ${timeoutMs} ms`)
}
