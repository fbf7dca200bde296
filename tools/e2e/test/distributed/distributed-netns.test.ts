import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO, readJsonl, tempDir } from '../support.js'
import { startCli } from '../run-cli.js'
import { byId, itemsSet, PIPELINE, readDistributedOutputs, writeItems } from './distributed-support.js'
import { createTestNetwork } from './network-namespaces.js'
import { hasRedis, startRedis, type TestRedis } from './redis-server.js'

const SIM_BIN = join(REPO, 'tools/inference-sim/dist/bin.js')
const network = hasRedis ? await createTestNetwork(2) : { unavailable: 'redis-server is not installed' }
const skipped = 'unavailable' in network ? network.unavailable : undefined
if (skipped) console.warn(`distributed netns test skipped: ${skipped}`)

describe.skipIf(skipped !== undefined)(
  `distributed runs across network namespaces (ip netns)${skipped ? `: skipped, ${skipped}` : ''}`,
  () => {
    const net = network as Exclude<typeof network, { unavailable: string }>
    let dir: Awaited<ReturnType<typeof tempDir>>
    let redis: TestRedis
    let sim: ChildProcess
    let simPort: number
    beforeAll(async () => {
      dir = await tempDir('dataflow-distributed-netns-')
      await mkdir(join(dir.path, 'redis'))
      // Redis, the simulator and the coordinator in the hub; each worker reaches them over its own veth pair.
      redis = await startRedis(join(dir.path, 'redis'), '0.0.0.0', net.exec(net.hub))
      const command = [...net.exec(net.hub), process.execPath, SIM_BIN, '--host', '0.0.0.0', '--port', '0']
      sim = spawn(command[0]!, [...command.slice(1), '--max-seqs', '16', '--time-scale', '0.01'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      simPort = await new Promise<number>((resolve, reject) => {
        let seen = ''
        sim.stdout!.on('data', (data: Buffer) => {
          seen += data.toString()
          const match = /listening on http:\/\/[^:]+:(\d+)/.exec(seen)
          if (match) resolve(Number(match[1]))
        })
        sim.once('exit', (code) => reject(new Error(`the simulator exited (${code}): ${seen}`)))
      })
    })
    afterAll(async () => {
      sim?.kill('SIGTERM')
      await redis?.stop()
      await net.remove()
      await dir?.remove()
    })

    it('Redis and the coordinator in one namespace, a worker in each of two others: the outputs equal a one-machine run', async () => {
      const items = join(dir.path, 'items.jsonl')
      await writeItems(items, 300)
      const hubEnv = { LLM_BASE_URL: `http://127.0.0.1:${simPort}/v1` }
      const local = join(dir.path, 'local')
      const one = await startCli(
        ['run', PIPELINE, '--out', local, '--quiet', '--max-error-rate', '1', ...itemsSet(items)],
        hubEnv,
        net.exec(net.hub),
      ).done
      expect(one.code, one.stderr).toBe(0)

      const workers = net.workers.map((namespace, index) => {
        const hub = net.hubAddress(index)
        return startCli(
          [
            'worker',
            '--queue',
            `redis://${hub}:${redis.port}`,
            '--lease',
            '2',
            '--name',
            `w${index}`,
            '--cache',
            'off',
          ],
          { LLM_BASE_URL: `http://${hub}:${simPort}/v1` },
          net.exec(namespace),
        )
      })
      const out = join(dir.path, 'run')
      const run = await startCli(
        [
          'run',
          PIPELINE,
          '--queue',
          `redis://127.0.0.1:${redis.port}`,
          '--out',
          out,
          '--chunk-size',
          '50',
          '--quiet',
          '--max-error-rate',
          '1',
          ...itemsSet(items),
        ],
        hubEnv,
        net.exec(net.hub),
      ).done
      for (const worker of workers) worker.child.kill('SIGTERM')
      const ended = await Promise.all(workers.map((worker) => worker.done))
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(run.stdout).toContain('6 chunks, 0 failed')
      // Both workers, each in its own namespace, ran chunks.
      for (const worker of ended) expect(worker.stderr).toMatch(/chunk \d+ done/)
      expect((await readDistributedOutputs(out)).sort(byId)).toEqual(
        (await readJsonl(join(local, 'out.jsonl'))).sort(byId),
      )
    }, 120_000)
  },
)
