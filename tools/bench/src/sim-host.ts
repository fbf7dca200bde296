/**
 * Child process that hosts the inference simulators of a scenario, so that their CPU is not
 * counted in the engine's (the engine runs in another child). Requests: `start`, `stats`, `reset`, `faults`,
 * `repeats`.
 */
import {
  startSimulator,
  type Faults,
  type SimStats,
  type Simulator,
  type SimulatorOptions,
} from '@dataflow/inference-sim'
import { serveParent } from './support/child-channel.js'

/** Stats without the per-request-content map (large, and only for resume tests). */
export type LightStats = Omit<SimStats, 'completedByContent'>

let sims: Simulator[] = []

serveParent(async (message) => {
  switch (message['type']) {
    case 'start': {
      sims = await Promise.all(
        (message['sims'] as SimulatorOptions[]).map((options) => startSimulator({ ...options, port: 0 })),
      )
      return sims.map((sim) => ({ url: sim.url, options: sim.options }))
    }
    case 'stats':
      return sims.map((sim) => {
        const { completedByContent: _omitted, ...stats } = sim.stats()
        return stats satisfies LightStats
      })
    case 'repeats': {
      // Over all servers: a call answered by one server and again by another (a chunk taken over
      // by a worker with its own server) is a repeat too.
      const answers = new Map<string, number>()
      for (const sim of sims)
        for (const [content, count] of Object.entries(sim.stats().completedByContent))
          answers.set(content, (answers.get(content) ?? 0) + count)
      let repeats = 0
      for (const count of answers.values()) repeats += count - 1
      return repeats
    }
    case 'reset':
      for (const sim of sims) sim.reset()
      return true
    case 'faults':
      for (const sim of sims) sim.setFaults(message['faults'] as Partial<Faults>)
      return true
    default:
      throw new Error(`unknown request ${String(message['type'])}`)
  }
})
