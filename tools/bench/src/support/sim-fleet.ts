import { fileURLToPath } from 'node:url'
import type { Faults, ResolvedOptions, SimulatorOptions } from '@dataflow/inference-sim'
import type { LightStats } from '../sim-host.js'
import { forkChild } from './child-channel.js'

/** Simulators running in their own child process. */
export interface SimFleet {
  readonly servers: ReadonlyArray<{ url: string; options: ResolvedOptions }>
  stats(): Promise<LightStats[]>
  reset(): Promise<void>
  /** Valid answers beyond the first for the same request content, over all servers since the last reset. */
  repeats(): Promise<number>
  /** Sets the same fault rates on every server (unset rates keep their value). */
  setFaults(faults: Partial<Faults>): Promise<void>
  close(): Promise<void>
}

const HOST = fileURLToPath(new URL('../sim-host.js', import.meta.url))

export async function startSimFleet(sims: SimulatorOptions[]): Promise<SimFleet> {
  const child = forkChild(HOST)
  const servers = await child.request<Array<{ url: string; options: ResolvedOptions }>>({ type: 'start', sims })
  return {
    servers,
    stats: () => child.request<LightStats[]>({ type: 'stats' }),
    reset: async () => {
      await child.request({ type: 'reset' })
    },
    repeats: () => child.request<number>({ type: 'repeats' }),
    setFaults: async (faults) => {
      await child.request({ type: 'faults', faults })
    },
    async close() {
      child.kill()
      await child.exited
    },
  }
}

/** One reading of a server, reduced to what steady-state figures need. */
export interface SimSample {
  /** Real ms since the last reset. */
  elapsedMs: number
  /** Integral of running requests over real ms. */
  runningMs: number
  arrivals: number
  completed: number
}

export function toSample(stats: LightStats): SimSample {
  return {
    elapsedMs: stats.elapsedMs,
    runningMs: stats.utilisation.sinceReset * stats.elapsedMs * stats.maxSeqs,
    arrivals: stats.arrivals,
    completed: stats.requestsByStatus['200'] ?? 0,
  }
}

/** Polls every server of the fleet while a run goes on. */
export function sampleFleet(fleet: SimFleet, intervalMs: number): { stop(): Promise<SimSample[][]> } {
  const samples: SimSample[][] = fleet.servers.map(() => [])
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const stats = await fleet.stats()
      stats.forEach((one, index) => samples[index]!.push(toSample(one)))
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    async stop() {
      stopped = true
      await loop
      const stats = await fleet.stats()
      stats.forEach((one, index) => samples[index]!.push(toSample(one)))
      return samples
    },
  }
}

/**
 * Mean running / maxSeqs over the middle of a server's active period (from its first arrival to
 * its last completion), leaving out `edge` of that period at each end: ramp-up and drain.
 */
export function steadyUtilisation(samples: readonly SimSample[], maxSeqs: number, edge = 0.2): number | undefined {
  const first = samples.find((sample) => sample.arrivals > 0)
  const total = samples.at(-1)?.completed ?? 0
  const last = samples.find((sample) => sample.completed >= total && total > 0)
  if (first === undefined || last === undefined || last.elapsedMs <= first.elapsedMs) return undefined
  const span = last.elapsedMs - first.elapsedMs
  const from = at(samples, first.elapsedMs + edge * span)
  const to = at(samples, last.elapsedMs - edge * span)
  if (from === undefined || to === undefined || to.elapsedMs <= from.elapsedMs) return undefined
  return (to.runningMs - from.runningMs) / (maxSeqs * (to.elapsedMs - from.elapsedMs))
}

/** The first sample at or after `time`. */
function at(samples: readonly SimSample[], time: number): SimSample | undefined {
  return samples.find((sample) => sample.elapsedMs >= time)
}
