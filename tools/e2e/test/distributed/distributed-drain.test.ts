import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { runCli, startCli, waitForStderr } from '../run-cli.js'
import { readJsonl, tempDir } from '../support.js'
import { byId, itemsSet, PIPELINE, readDistributedOutputs, writeItems } from './distributed-support.js'
import { hasRedis, startRedis, type TestRedis } from './redis-server.js'

const ITEMS = 300

describe.skipIf(!hasRedis)('distributed runs: a worker drained with SIGTERM mid-chunk', () => {
  let sim: Simulator
  let dir: Awaited<ReturnType<typeof tempDir>>
  let redis: TestRedis
  beforeAll(async () => {
    dir = await tempDir('dataflow-distributed-drain-')
    sim = await startSimulator({ port: 0, maxSeqs: 16, timeScale: 0.01 })
    await mkdir(join(dir.path, 'redis'))
    redis = await startRedis(join(dir.path, 'redis'))
  })
  afterAll(async () => {
    await redis?.stop()
    await sim?.close()
    await dir?.remove()
  })

  it('finishes (drain) or hands back (--drain-timeout 0) the chunk in hand and exits 0; another worker completes the run', async () => {
    const items = join(dir.path, 'items.jsonl')
    await writeItems(items, ITEMS)
    const env = { LLM_BASE_URL: sim.url }
    // About 2 s per chunk of 100 items: 8 at a time, 150 ms each (the delay does not change the outputs).
    const slow = ['--set', 'nodes.upper.with.delayMs=150', '--set', 'run.window=8']
    const local = join(dir.path, 'local')
    const one = await runCli(
      ['run', PIPELINE, '--out', local, '--quiet', '--max-error-rate', '1', ...itemsSet(items)],
      env,
    )
    expect(one.code, one.stderr).toBe(0)
    const expected = (await readJsonl(join(local, 'out.jsonl'))).sort(byId)

    const worker = (name: string, extra: string[] = []) =>
      startCli(['worker', '--queue', redis.url, '--lease', '2', '--name', name, '--cache', 'off', ...extra], env)
    const finisher = worker('finisher')
    const handsBack = worker('hands-back', ['--drain-timeout', '0'])
    const finisherStarted = waitForStderr(finisher.child, /starting chunk (\d+)/)
    const handsBackStarted = waitForStderr(handsBack.child, /starting chunk (\d+)/)
    const coordinator = startCli(
      [
        'run',
        PIPELINE,
        '--queue',
        redis.url,
        '--out',
        join(dir.path, 'run'),
        '--chunk-size',
        '100',
        '--quiet',
        '--max-error-rate',
        '1',
        ...itemsSet(items),
        ...slow,
      ],
      env,
    )
    const finished = /starting chunk (\d+)/.exec(await finisherStarted)![1]!
    const handedBack = /starting chunk (\d+)/.exec(await handsBackStarted)![1]!
    // Mid-chunk (about a third of it): each has committed part of its first chunk.
    await new Promise((resolve) => setTimeout(resolve, 700))
    finisher.child.kill('SIGTERM')
    handsBack.child.kill('SIGTERM')
    const [drained, gaveBack] = await Promise.all([finisher.done, handsBack.done])
    expect(drained.code, drained.stderr).toBe(0)
    expect(gaveBack.code, gaveBack.stderr).toBe(0)
    // The finisher ended its chunk and took no other; the other handed its chunk back unfinished.
    expect(drained.stderr).toContain(`chunk ${finished} done`)
    expect(drained.stderr.match(/starting chunk/g)).toHaveLength(1)
    expect(gaveBack.stderr).toContain(`handing chunk ${handedBack} back to the queue`)
    expect(gaveBack.stderr).not.toContain(`chunk ${handedBack} done`)

    const last = worker('last')
    const run = await coordinator.done
    last.child.kill('SIGTERM')
    const completer = await last.done
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
    expect(completer.code).toBe(0)
    expect(completer.stderr).toMatch(new RegExp(`resuming chunk ${handedBack} `))
    expect(completer.stderr).not.toMatch(new RegExp(`(starting|resuming) chunk ${finished} `))
    const records = (await readDistributedOutputs(join(dir.path, 'run'))).sort(byId)
    expect(records).toEqual(expected)
  }, 120_000)
})
