import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { runCli, startCli, waitForStderr } from '../run-cli.js'
import { readJson, readJsonl, tempDir } from '../support.js'
import { byId, itemsSet, PIPELINE, readDistributedOutputs, startWorkers, writeItems } from './distributed-support.js'
import { hasRedis, startRedis, type TestRedis } from './redis-server.js'

interface Merged {
  input: number
  outcomes: Record<string, number>
  outputs: Record<string, string[]>
}

const ITEMS = 600

describe.skipIf(!hasRedis)(
  'distributed runs on BullMQ + Redis: coordinator and worker processes of the built CLI',
  () => {
    let sim: Simulator
    let dir: Awaited<ReturnType<typeof tempDir>>
    let redis: TestRedis
    let items: string
    let ids: string[]
    let env: NodeJS.ProcessEnv
    let local: Array<Record<string, unknown>>
    let localOutcomes: Record<string, number>

    beforeAll(async () => {
      dir = await tempDir('dataflow-distributed-')
      sim = await startSimulator({ port: 0, maxSeqs: 16, timeScale: 0.01 })
      env = { LLM_BASE_URL: sim.url }
      await mkdir(join(dir.path, 'redis'))
      redis = await startRedis(join(dir.path, 'redis'))
      items = join(dir.path, 'items.jsonl')
      ids = await writeItems(items, ITEMS)
      const out = join(dir.path, 'local')
      const result = await runCli(
        ['run', PIPELINE, '--out', out, '--quiet', '--max-error-rate', '1', ...itemsSet(items)],
        env,
      )
      expect(result.code, result.stderr).toBe(0)
      local = (await readJsonl(join(out, 'out.jsonl'))).sort(byId)
      localOutcomes = (await readJson<{ outcomes: Record<string, number> }>(join(out, 'report.json'))).outcomes
    }, 120_000)
    afterAll(async () => {
      await redis?.stop()
      await sim?.close()
      await dir?.remove()
    })

    it('3 workers finish a run: the outputs equal a one-machine run of the same input, every item once', async () => {
      const out = join(dir.path, 'three')
      const pool = startWorkers(redis.url, 3, env)
      const run = await runCli(
        [
          'run',
          PIPELINE,
          '--queue',
          redis.url,
          '--out',
          out,
          '--chunk-size',
          '100',
          '--quiet',
          '--max-error-rate',
          '1',
          ...itemsSet(items),
        ],
        env,
      )
      const workers = await pool.stopAll()
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(run.stdout).toContain('6 chunks, 0 failed')
      const merged = await readJson<Merged>(join(out, 'merged-report.json'))
      expect(merged.input).toBe(ITEMS)
      expect(merged.outcomes).toEqual(localOutcomes)
      const records = (await readDistributedOutputs(out)).sort(byId)
      expect(records).toEqual(local)
      // Every worker took part, and each ended cleanly on SIGTERM (exit 0).
      const chunksPerWorker = workers.map((worker) => (worker.stderr.match(/chunk \d+ done/g) ?? []).length)
      expect(chunksPerWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6)
      for (const worker of workers) expect(worker.code, worker.stderr).toBe(0)

      const status = await runCli(['status', '--queue', redis.url, '--json'])
      expect(status.code, status.stderr).toBe(0)
      const parsed = JSON.parse(status.stdout) as { chunks: Record<string, number>; items: { done: number } }
      expect(parsed.chunks).toEqual({ waiting: 0, active: 0, done: 6, failed: 0 })
      expect(parsed.items.done).toBe(ITEMS)
    }, 120_000)

    it('a worker SIGKILLed mid-chunk loses its lease; another worker resumes the chunk from its journal, no duplicates', async () => {
      const out = join(dir.path, 'killed')
      const slow = ['--set', 'nodes.upper.with.delayMs=200']
      const before = { ...sim.stats().completedByContent }
      const first = startWorkers(redis.url, 1, env)
      const coordinator = startCli(
        [
          'run',
          PIPELINE,
          '--queue',
          redis.url,
          '--out',
          out,
          '--chunk-size',
          '200',
          '--quiet',
          '--max-error-rate',
          '1',
          ...itemsSet(items),
          ...slow,
        ],
        env,
      )
      const victim = first.workers[0]!
      await waitForStderr(victim.child, /starting chunk 0/)
      // Let it commit part of the chunk to the chunk's journal, then kill it without warning.
      await new Promise((resolve) => setTimeout(resolve, 700))
      victim.child.kill('SIGKILL')
      const killed = await victim.done
      // The chunk in hand at the kill: started, never done.
      const started = [...killed.stderr.matchAll(/starting chunk (\d+)/g)].map((match) => match[1])
      const inHand = started.filter((index) => !killed.stderr.includes(`chunk ${index} done`))
      expect(inHand).toHaveLength(1)
      const second = startWorkers(redis.url, 1, env)
      const run = await coordinator.done
      const [taker] = await second.stopAll()
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(taker!.stderr).toMatch(new RegExp(`resuming chunk ${inHand[0]} `))
      const records = await readDistributedOutputs(out)
      const seen = records.map((record) => String(record['id']))
      expect(new Set(seen).size).toBe(seen.length)
      expect(records.sort(byId)).toEqual(local)
      const merged = await readJson<Merged>(join(out, 'merged-report.json'))
      expect(merged.input).toBe(ITEMS)
      expect(merged.outcomes).toEqual(localOutcomes)
      // Repeated model calls: at most the requests in flight at the kill (the model's maxConcurrency is 4).
      // Answers this run got more than once for one request content.
      let repeats = 0
      for (const [content, count] of Object.entries(sim.stats().completedByContent))
        repeats += Math.max(0, count - (before[content] ?? 0) - 1)
      expect(repeats).toBeLessThanOrEqual(4)
    }, 120_000)

    it('the coordinator SIGKILLed and started again with the same command continues the run', async () => {
      const out = join(dir.path, 'coordinator')
      const args = [
        'run',
        PIPELINE,
        '--queue',
        redis.url,
        '--out',
        out,
        '--chunk-size',
        '50',
        '--quiet',
        '--max-error-rate',
        '1',
        ...itemsSet(items),
        '--set',
        'nodes.upper.with.delayMs=20',
      ]
      const pool = startWorkers(redis.url, 2, env)
      const first = startCli(args, env)
      await waitForStderr(pool.workers[0]!.child, /chunk \d+ done/)
      first.child.kill('SIGKILL')
      await first.done
      const again = await runCli(args, env)
      await pool.stopAll()
      expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
      expect(again.stdout).toContain('12 chunks, 0 failed')
      const records = await readDistributedOutputs(out)
      expect(records.sort(byId)).toEqual(local)
    }, 120_000)

    it('Redis SIGKILLed and restarted (AOF, fsync always) mid-run loses nothing', async () => {
      const out = join(dir.path, 'redis-restart')
      const pool = startWorkers(redis.url, 2, env)
      const coordinator = startCli(
        [
          'run',
          PIPELINE,
          '--queue',
          redis.url,
          '--out',
          out,
          '--chunk-size',
          '50',
          '--quiet',
          '--max-error-rate',
          '1',
          ...itemsSet(items),
          '--set',
          'nodes.upper.with.delayMs=20',
        ],
        env,
      )
      await waitForStderr(pool.workers[0]!.child, /chunk \d+ done/)
      await redis.restart()
      const run = await coordinator.done
      await pool.stopAll()
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      const records = await readDistributedOutputs(out)
      const seen = records.map((record) => String(record['id']))
      expect(new Set(seen).size).toBe(seen.length)
      expect(records.sort(byId)).toEqual(local)
    }, 120_000)

    it('a poison chunk goes to the failed list with its reason after its attempts; the run goes on; retry by command', async () => {
      const out = join(dir.path, 'poison')
      // Chunk 2's run state on the shared filesystem is garbage: every attempt fails to open it.
      await mkdir(join(out, 'chunks', '00002'), { recursive: true })
      await writeFile(join(out, 'chunks', '00002', 'journal.sqlite'), 'not a database')
      const pool = startWorkers(redis.url, 2, env)
      const args = [
        'run',
        PIPELINE,
        '--queue',
        redis.url,
        '--out',
        out,
        '--chunk-size',
        '100',
        '--quiet',
        '--max-error-rate',
        '1',
        ...itemsSet(items),
      ]
      const run = await runCli(args, env)
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1)
      expect(run.stdout).toMatch(/FAILED chunk 2 after 3 attempts: .+/)
      expect(run.stdout).toContain('6 chunks, 1 failed')
      const merged = await readJson<Merged>(join(out, 'merged-report.json'))
      expect(merged.input).toBe(ITEMS - 100)
      const status = await runCli(['status', '--queue', redis.url])
      expect(status.stdout).toMatch(/failed 1/)
      expect(status.stdout).toMatch(/failed chunk 2 after 3 attempts/)
      expect(status.stdout).toMatch(/w[01] .* items\/s .* last heartbeat \d+s ago/)

      // The cause removed, the chunk is retried by command and the same run command finishes the run.
      await rm(join(out, 'chunks', '00002'), { recursive: true, force: true })
      const retry = await runCli(['status', '--queue', redis.url, '--retry-failed'])
      expect(retry.stdout).toContain('retried 1 failed chunk(s)')
      const again = await runCli(args, env)
      await pool.stopAll()
      expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0)
      expect((await readDistributedOutputs(out)).sort(byId)).toEqual(local)
      expect(existsSync(join(out, 'outputs.txt'))).toBe(true)
      expect(ids).toHaveLength(ITEMS)
    }, 120_000)
  },
)
