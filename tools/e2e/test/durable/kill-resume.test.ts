import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startCli, type CliResult } from '../run-cli.js'
import { startCapflowServers, tempDir } from '../support.js'
import { answered, CAPFLOW, journaledAnswers, readSinks, seededRandom } from './durable-support.js'

/**
 * The kill test of issue 6: `dataflow run` of pipelines/capflow.yaml on the sample data is
 * SIGKILLed at random points and resumed until it completes.
 *
 * Why a completed call can be repeated at all, and by how much: the engine commits every node
 * result to the journal (WAL, synchronous=NORMAL: durable against a process kill) at the end of
 * the event-loop turn that received it, and the item's dependents start only after that commit.
 * A resume re-calls only nodes without a committed result. So a completed call is asked again
 * only if its answer had reached the server's "completed" count but not the journal when the
 * process died: the calls in flight at the kill. Measured from outside, after session k died:
 *   lost(k) = answers the simulators completed so far - answers recorded in committed node results.
 * The repeats seen by the end of session k+1 can only be re-asks of those, so
 *   repeats(after k+1) <= lost(after k),
 * and since every lost answer is asked again once (answers are deterministic), at the end
 *   repeats == lost(final). A resume that re-called a committed node would break the first
 * inequality: that answer was counted as recorded.
 */
const KILLS = 4
const SEED = 20261127

describe('durable runs: SIGKILL and resume', () => {
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  let dir: Awaited<ReturnType<typeof tempDir>>

  beforeAll(async () => {
    servers = await startCapflowServers({ timeScale: 0.1, seed: 3 })
    dir = await tempDir('dataflow-kill-')
  })
  afterAll(async () => {
    await servers.close()
    await dir.remove()
  })

  it('ends with the sinks of an uninterrupted run, every item once, and repeats only calls in flight at a kill', async () => {
    const baselineDir = join(dir.path, 'baseline')
    const baseline = await runCli(['run', CAPFLOW, '--out', baselineDir, '--cache', 'off', '-q'], servers.env)
    expect(baseline.code, baseline.stderr).toBe(0)
    const baselineRepeats = answered(servers.vlm, servers.llm).repeats
    expect(baselineRepeats).toBe(0)
    const expected = await readSinks(baselineDir)
    servers.vlm.reset()
    servers.llm.reset()

    const runDir = join(dir.path, 'killed')
    const random = seededRandom(SEED)
    const sessions: Array<{ killedAfterMs?: number; lost: number; repeats: number; code: number | null }> = []
    let lostBefore = 0
    let final: CliResult | undefined
    for (let session = 0; session < KILLS + 3 && final === undefined; session++) {
      const { child, done } = startCli(['run', CAPFLOW, '--out', runDir, '--cache', 'off', '-q'], servers.env)
      let killedAfterMs: number | undefined
      if (session < KILLS) {
        // Start-up (plugins, dataset check) takes a few hundred ms; later sessions have less left to do.
        const wait = 400 + Math.floor(random() * (session === 0 ? 2200 : 1200))
        const exited = await Promise.race([done.then(() => true), delay(wait).then(() => false)])
        if (!exited) {
          child.kill('SIGKILL')
          killedAfterMs = wait
        }
      }
      const result = await done
      const { completed, repeats } = answered(servers.vlm, servers.llm)
      const lost = completed - journaledAnswers(runDir)
      sessions.push({ ...(killedAfterMs === undefined ? {} : { killedAfterMs }), lost, repeats, code: result.code })
      // Repeats so far are re-asks of answers lost at earlier kills, never of recorded ones.
      expect(repeats, JSON.stringify(sessions)).toBeLessThanOrEqual(lostBefore)
      lostBefore = lost
      if (killedAfterMs === undefined) {
        expect(result.code, result.stderr).toBe(0)
        final = result
      } else {
        expect(result.signal).toBe('SIGKILL')
      }
    }
    expect(final, JSON.stringify(sessions)).toBeDefined()
    expect(sessions.filter((session) => session.killedAfterMs !== undefined).length).toBeGreaterThanOrEqual(2)

    // Every lost answer was asked again exactly once; nothing else was.
    const { repeats } = answered(servers.vlm, servers.llm)
    expect(repeats).toBe(lostBefore)
    // Each kill lost at most the calls that can be in flight at once.
    const peak = servers.vlm.stats().peaks.inFlight + servers.llm.stats().peaks.inFlight
    let previous = 0
    for (const session of sessions) {
      expect(session.lost - previous).toBeLessThanOrEqual(peak)
      previous = session.lost
    }

    const actual = await readSinks(runDir)
    for (const [name, sink] of Object.entries(expected)) {
      const got = actual[name]!
      expect(new Set(got.ids).size, `${name}: duplicate ids`).toBe(got.ids.length)
      expect(got.records, name).toEqual(sink.records)
    }
    expect(final!.stdout).toMatch(/items 29: ok \d+, rejected \d+, error 0, interrupted 0/)
  })
})
