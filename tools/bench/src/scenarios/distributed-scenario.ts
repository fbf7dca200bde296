import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { SimulatorOptions } from '@dataflow/inference-sim'
import type { ResultTable, Scenario, ScenarioReport, TargetCheck } from '../scenario.js'
import { runDistributed, waitForLeaseExpiry, type DistributedRunResult } from '../support/distributed-run.js'
import { num } from '../support/format.js'
import { startBenchRedis, type BenchRedis } from '../support/redis-process.js'
import { steadyUtilisation, type SimFleet } from '../support/sim-fleet.js'
import { measureOnFleet, withFleet } from '../support/with-fleet.js'

/** `BENCH_QUICK=1`: a reduced scale that checks the scenario works in about a minute. */
const QUICK = process.env['BENCH_QUICK'] === '1'
const PER_WORKER = QUICK ? 200 : 1000
const CHUNK = QUICK ? 50 : 250
const FEEDS = QUICK ? [10_000, 50_000] : [100_000, 1_000_000]
const FEED_CHUNK = QUICK ? 2000 : 10_000
const LEASE_S = 10
/** Slow servers (8 sequences, real-time scale 0.15): each worker's server, not the 2 cores, is the bottleneck. */
const SIM: SimulatorOptions = { maxSeqs: 8, timeScale: 0.15 }
const WORKERS = [1, 2, 4]
const CORES = 2

interface Throughput {
  workers: number
  result: DistributedRunResult
  utilisation: Array<number | undefined>
}

interface Kill {
  result: DistributedRunResult
  chunk: number
  inFlightAtKill: number
  leaseExpiredS: number
  takenOverS: number
  /** Requests the servers received beyond one per item: calls sent again. */
  resent: number
  /** Valid answers beyond the first for one request content. */
  repeats: number
}

interface Feed {
  items: number
  result: DistributedRunResult
  baseMb: number
  peakMb: number
  maxSampledMb: number
}

/** Issue 11: 1, 2 and 4 workers against their own slow servers; a worker SIGKILLed; Redis memory while 1M items are fed. */
export const distributedScenario: Scenario = {
  name: 'distributed',
  title: 'distributed: 1, 2 and 4 workers on BullMQ + Redis, a worker SIGKILLed, Redis memory at 1M items (issue 11)',
  async run(context) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-distributed-'))
    const throughput: Throughput[] = []
    const feeds: Feed[] = []
    let kill: Kill | undefined
    try {
      await withFleet(
        Array.from({ length: Math.max(...WORKERS) }, () => SIM),
        async (fleet) => {
          const redis = await startRedisIn(dir, 'throughput')
          try {
            for (const workers of WORKERS) {
              context.log(`distributed: ${workers} worker(s), ${(workers * PER_WORKER).toLocaleString('en-US')} items`)
              const run = await measureOnFleet(fleet, () =>
                runDistributed({
                  ...base(redis, fleet, dir),
                  workers,
                  items: workers * PER_WORKER,
                  label: `w${workers}`,
                }),
              )
              throughput.push({
                workers,
                result: run.result,
                utilisation: run.samples.slice(0, workers).map((samples) => steadyUtilisation(samples, SIM.maxSeqs!)),
              })
              context.log(
                `  ${num(itemsPerSecond(run.result, workers * PER_WORKER), 1)} items/s in ${num(run.result.wallMs / 1000, 1)} s`,
              )
            }
            context.log('distributed: 4 workers, one SIGKILLed mid-chunk')
            const rate = itemsPerSecond(throughput.at(-1)!.result, 4 * PER_WORKER) / 4
            kill = await killRun(redis, fleet, dir, (CHUNK / rate) * 500)
          } finally {
            await redis.stop()
          }
          for (const items of FEEDS) {
            context.log(`distributed: Redis memory while ${items.toLocaleString('en-US')} items are fed`)
            const redis = await startRedisIn(dir, `feed-${items}`)
            try {
              feeds.push(await feedRun(redis, fleet, dir, items))
            } finally {
              await redis.stop()
            }
          }
        },
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return report(throughput, kill!, feeds)
  },
}

function base(redis: BenchRedis, fleet: SimFleet, dir: string) {
  return { redis, fleet, dir, chunkSize: CHUNK, sampleEvery: 1, leaseSeconds: LEASE_S, checkRecords: true }
}

async function startRedisIn(dir: string, name: string): Promise<BenchRedis> {
  await mkdir(join(dir, `redis-${name}`))
  return startBenchRedis(join(dir, `redis-${name}`))
}

const itemsPerSecond = (result: DistributedRunResult, items: number) => items / (result.wallMs / 1000)

/** 4 workers; the last one is SIGKILLed `afterMs` into its second chunk. */
async function killRun(redis: BenchRedis, fleet: SimFleet, dir: string, afterMs: number): Promise<Kill> {
  let chunk = -1
  let inFlightAtKill = 0
  let leaseExpiredS = 0
  let takenOverS = 0
  await fleet.reset()
  const result = await runDistributed({
    ...base(redis, fleet, dir),
    workers: 4,
    items: 4 * PER_WORKER,
    label: 'kill',
    async during({ workers }) {
      const victim = workers[3]!
      const firstDone = await victim.waitFor(/chunk \d+ done/)
      const started = await victim.waitFor(/starting chunk (\d+)/, 120_000, firstDone.at)
      chunk = Number(/starting chunk (\d+)/.exec(started.text)![1])
      await delay(afterMs)
      inFlightAtKill = (await fleet.stats())[3]!.inFlight
      victim.child.kill('SIGKILL')
      const killedAt = performance.now()
      const folder = String(chunk).padStart(5, '0')
      leaseExpiredS = ((await waitForLeaseExpiry(redis, folder)) - killedAt) / 1000
      const taken = await Promise.any(
        workers.slice(0, 3).map((worker) => worker.waitFor(new RegExp(`resuming chunk ${chunk} `), 300_000)),
      )
      takenOverS = (taken.at - killedAt) / 1000
    },
  })
  const arrivals = (await fleet.stats()).reduce((sum, server) => sum + server.arrivals, 0)
  return {
    result,
    chunk,
    inFlightAtKill,
    leaseExpiredS,
    takenOverS,
    resent: arrivals - 4 * PER_WORKER,
    repeats: await fleet.repeats(),
  }
}

/** 4 workers through `items` items without model calls, chunks of FEED_CHUNK; Redis memory sampled throughout. */
async function feedRun(redis: BenchRedis, fleet: SimFleet, dir: string, items: number): Promise<Feed> {
  const baseMb = mib((await redis.memory())['used_memory']!)
  let maxSampled = 0
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      maxSampled = Math.max(maxSampled, (await redis.memory())['used_memory']!)
      await delay(250)
    }
  })()
  try {
    const result = await runDistributed({
      redis,
      fleet,
      dir,
      workers: 4,
      items,
      chunkSize: FEED_CHUNK,
      sampleEvery: 0,
      leaseSeconds: LEASE_S,
      checkRecords: false,
      label: `feed-${items}`,
    })
    return {
      items,
      result,
      baseMb,
      peakMb: mib((await redis.memory())['used_memory_peak']!),
      maxSampledMb: mib(maxSampled),
    }
  } finally {
    sampling = false
    await sampler
  }
}

const mib = (bytes: number) => bytes / 1048576

function report(throughput: Throughput[], kill: Kill, feeds: Feed[]): ScenarioReport {
  const one = throughput[0]!
  const four = throughput.find((run) => run.workers === 4)!
  const rate = (run: Throughput) => itemsPerSecond(run.result, run.workers * PER_WORKER)
  const speedup = rate(four) / rate(one)
  const runs: ResultTable = {
    caption: `Throughput: ${PER_WORKER.toLocaleString('en-US')} items per worker, chunks of ${CHUNK}, every item one model call`,
    headers: [
      'Workers',
      'Items',
      'Wall s',
      'Items/s',
      'x 1 worker',
      'Server util (steady)',
      'Coordinator CPU µs/item',
      'Worker CPU µs/item',
      'CPU used of 2 cores',
      'Outcomes ok / records / distinct',
    ],
    rows: throughput.map((run) => {
      const items = run.workers * PER_WORKER
      const cpu = run.result.coordinator.cpuMs + run.result.workersCpuMs
      return [
        String(run.workers),
        items.toLocaleString('en-US'),
        num(run.result.wallMs / 1000, 1),
        num(rate(run), 1),
        num(rate(run) / rate(one), 2),
        run.utilisation.map((value) => (value === undefined ? '-' : `${Math.round(value * 100)}%`)).join(' '),
        num((run.result.coordinator.cpuMs * 1000) / items, 0),
        num((run.result.workersCpuMs * 1000) / items, 0),
        `${Math.round((100 * cpu) / run.result.wallMs / CORES)}%`,
        `${run.result.merged.outcomes['ok']} / ${run.result.records?.count} / ${run.result.records?.distinct}`,
      ]
    }),
  }
  const killTable: ResultTable = {
    caption: `A worker SIGKILLed mid-chunk during a 4-worker run (--lease ${LEASE_S})`,
    headers: [
      'Chunk killed',
      'Requests in flight at the kill',
      'Lease expired s after the kill',
      'Taken over s after the kill',
      'Model calls sent again',
      'Answers received twice',
      'Wall s',
      'Items/s',
      'Outcomes ok / records / distinct',
    ],
    rows: [
      [
        String(kill.chunk),
        String(kill.inFlightAtKill),
        num(kill.leaseExpiredS, 1),
        num(kill.takenOverS, 1),
        String(kill.resent),
        String(kill.repeats),
        num(kill.result.wallMs / 1000, 1),
        num(itemsPerSecond(kill.result, 4 * PER_WORKER), 1),
        `${kill.result.merged.outcomes['ok']} / ${kill.result.records?.count} / ${kill.result.records?.distinct}`,
      ],
    ],
  }
  const feedTable: ResultTable = {
    caption: `Redis memory while items are fed (4 workers, chunks of ${FEED_CHUNK.toLocaleString('en-US')}, no model calls, window 16 chunks)`,
    headers: [
      'Items',
      'Chunks',
      'Wall s',
      'Items/s',
      'Coordinator CPU µs/item',
      'Redis used_memory at start MiB',
      'Max sampled MiB',
      'used_memory_peak MiB',
    ],
    rows: feeds.map((feed) => [
      feed.items.toLocaleString('en-US'),
      String(Math.ceil(feed.items / FEED_CHUNK)),
      num(feed.result.wallMs / 1000, 1),
      num(itemsPerSecond(feed.result, feed.items), 0),
      num((feed.result.coordinator.cpuMs * 1000) / feed.items, 1),
      num(feed.baseMb, 2),
      num(feed.maxSampledMb, 2),
      num(feed.peakMb, 2),
    ]),
  }
  const [small, large] = feeds
  const checks: TargetCheck[] = [
    {
      target: 'items/s at 4 workers >= 3.6x one worker',
      measured: `${num(rate(four), 1)} vs ${num(rate(one), 1)} items/s = ${num(speedup, 2)}x`,
      pass: speedup >= 3.6,
    },
    {
      target: 'every item exactly once after the SIGKILL',
      measured: `${kill.result.records?.count} records, ${kill.result.records?.distinct} distinct, of ${4 * PER_WORKER}`,
      pass: kill.result.records?.count === 4 * PER_WORKER && kill.result.records.distinct === 4 * PER_WORKER,
    },
    {
      target: 'model calls sent again <= requests in flight at the kill',
      measured: `${kill.resent} <= ${kill.inFlightAtKill} (answers received twice: ${kill.repeats})`,
      pass: kill.resent <= kill.inFlightAtKill,
    },
    {
      target: `Redis peak memory at ${large!.items.toLocaleString('en-US')} items within 10% of ${small!.items.toLocaleString('en-US')} items (bounded window)`,
      measured: `${num(large!.peakMb, 2)} vs ${num(small!.peakMb, 2)} MiB`,
      pass: large!.peakMb <= small!.peakMb * 1.1,
    },
  ]
  return {
    parameters: [
      [
        'pipeline',
        'tools/bench/pipelines/distributed.yaml: generated items (with positions) -> a trivial node -> the reasoner (one text model call per item) -> JSONL sink',
      ],
      [
        'processes',
        'the built CLI: `dataflow worker` x N (worker i with --set models.llm.baseURL of simulator i) and `dataflow run --queue` (the coordinator); CPU of each from process.cpuUsage() at exit',
      ],
      [
        'simulators',
        `one per worker (all in one child process), max-seqs ${SIM.maxSeqs}, time scale ${SIM.timeScale}: slow servers, so each worker's server is its bottleneck, not the 2 cores`,
      ],
      [
        'redis',
        '/usr/bin/redis-server, appendonly yes (fsync every second), noeviction, a fresh server for the throughput runs and for each feed',
      ],
      ['worker flags', `--lease ${LEASE_S} --cache off, concurrency 1`],
    ],
    tables: [runs, killTable, feedTable],
    checks,
    notes: [
      "Items/s is over the coordinator's whole life (start, cutting, last poll and merge included); the worker processes are started and waiting before it starts.",
      "Server util (steady): mean running / max-seqs of each worker's server over the middle 60% of its active period.",
      'Model calls sent again: requests all servers received beyond one per item (no faults, so no retries: only calls repeated after the kill). Answers received twice: valid answers beyond the first for one request content over all servers. Lease expired: the chunk\'s BullMQ lock key gone; taken over: another worker logs "resuming chunk" (it takes it when its own chunk in hand is done, concurrency 1).',
    ],
  }
}
