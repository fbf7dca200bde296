import type { SimulatorOptions } from '@dataflow/inference-sim'
import { sampleFleet, startSimFleet, type SimFleet, type SimSample } from './sim-fleet.js'
import type { LightStats } from '../sim-host.js'

export interface FleetRun<T> {
  result: T
  /** Per server: stats at the end of the measured work. */
  stats: LightStats[]
  /** Per server: readings taken during the work. */
  samples: SimSample[][]
}

/** Starts simulators in a child process, runs `work` while sampling them, and closes them. */
export async function withFleet<T>(
  sims: SimulatorOptions[],
  work: (fleet: SimFleet) => Promise<T>,
  sampleEveryMs = 100,
): Promise<FleetRun<T>> {
  const fleet = await startSimFleet(sims)
  try {
    return await measureOnFleet(fleet, () => work(fleet), sampleEveryMs)
  } finally {
    await fleet.close()
  }
}

/** Resets the fleet's statistics, runs `work` while sampling, and returns its stats. */
export async function measureOnFleet<T>(
  fleet: SimFleet,
  work: () => Promise<T>,
  sampleEveryMs = 100,
): Promise<FleetRun<T>> {
  await fleet.reset()
  const sampler = sampleFleet(fleet, sampleEveryMs)
  let samples: SimSample[][] = []
  let result: T
  try {
    result = await work()
  } finally {
    samples = await sampler.stop()
  }
  return { result, stats: await fleet.stats(), samples }
}
