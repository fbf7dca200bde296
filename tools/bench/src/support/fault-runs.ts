import type { SimulatorOptions } from '@dataflow/inference-sim'
import type { CapflowJob, CapflowResult } from '../jobs/capflow-job.js'
import type { ResultTable, ScenarioContext } from '../scenario.js'
import { FAULT_PROFILES, type FaultProfile } from './fault-profiles.js'
import { num, pct } from './format.js'
import { longestSilence, meanOverTime, sparkRow, utilisationOverTime } from './over-time.js'
import { runWorker } from './run-worker.js'
import { startSimFleet, steadyUtilisation, type SimFleet } from './sim-fleet.js'
import { slotMs } from './sim-timing.js'
import { measureOnFleet, type FleetRun } from './with-fleet.js'

/** Who sends the requests in a run. */
export type ClientKind = 'dataflow' | 'streaming' | 'stages'

export const CLIENT_LABELS: Record<ClientKind, string> = {
  dataflow: 'dataflow',
  streaming: 'hand-tuned streaming client',
  stages: 'stage by stage',
}

/** One measured run: a fault profile, a client, its figures. */
export interface FaultRun {
  profile: FaultProfile
  client: ClientKind
  run: FleetRun<CapflowResult>
  items: number
  wallS: number
  itemsPerSecond: number
  /** min over servers of max-seqs / slot time per item, in items per real second. */
  ceiling: number
  /** Per server: busy utilisation, steady utilisation, utilisation per tenth of the run. */
  servers: Array<{ busy: number; steady: number | undefined; overTime: number[]; silenceS: number }>
}

export interface FaultRunPlan {
  sims: SimulatorOptions[]
  /** Server names, in fleet order. */
  names: string[]
  /** The job of one run, for the fleet's URLs. */
  job(fleet: SimFleet, client: ClientKind): CapflowJob
  /** Clients run for each profile (`stages` only where `stagesFor` says). */
  clients: ClientKind[]
  stagesFor?: (profile: FaultProfile) => boolean
  /** Only these profiles (default: all). */
  profiles?: readonly FaultProfile[]
}

/** Runs every profile with every client on one fleet (stats reset and faults set before each run). */
export async function runFaultMatrix(plan: FaultRunPlan, context: ScenarioContext): Promise<FaultRun[]> {
  const fleet = await startSimFleet(plan.sims)
  const runs: FaultRun[] = []
  try {
    for (const profile of chosenProfiles(plan.profiles ?? FAULT_PROFILES)) {
      const clients = [...plan.clients, ...(plan.stagesFor?.(profile) ? (['stages'] as const) : [])]
      for (const client of clients) {
        context.log(`${profile.name}: ${CLIENT_LABELS[client]}`)
        await fleet.setFaults(profile.faults)
        const job = plan.job(fleet, client)
        const run = await measureOnFleet(fleet, () =>
          runWorker<CapflowResult>(job, { profileDir: context.profileDir, label: `faults-${client}` }),
        )
        runs.push(figuresOf(profile, client, run, fleet))
      }
    }
  } finally {
    await fleet.close()
  }
  return runs
}

function figuresOf(profile: FaultProfile, client: ClientKind, run: FleetRun<CapflowResult>, fleet: SimFleet): FaultRun {
  const summary = run.result.run
  const items = summary.outcomes.ok + summary.outcomes.rejected
  const wallS = summary.wallMs / 1000
  const servers = fleet.servers.map((server, index) => {
    const stats = run.stats[index]!
    const samples = run.samples[index]!
    return {
      busy: stats.utilisation.busy,
      steady: steadyUtilisation(samples, server.options.maxSeqs),
      overTime: utilisationOverTime(samples, server.options.maxSeqs),
      silenceS: longestSilence(samples),
      slot: slotMs(server.options, stats.tokens.prompt - stats.tokens.cachedPrompt, stats.tokens.completion),
    }
  })
  const ceiling = Math.min(
    ...fleet.servers.map((server, index) =>
      servers[index]!.slot > 0
        ? (server.options.maxSeqs * 1000 * items) / servers[index]!.slot / server.options.timeScale
        : Infinity,
    ),
  )
  return { profile, client, run, items, wallS, itemsPerSecond: items / wallS, ceiling, servers }
}

/** `BENCH_FAULTS="none;2% 429"` runs only those profiles (while working on one of them). */
function chosenProfiles(profiles: readonly FaultProfile[]): readonly FaultProfile[] {
  const wanted = process.env['BENCH_FAULTS']?.split(';').map((name) => name.trim())
  return wanted === undefined ? profiles : profiles.filter((profile) => wanted.includes(profile.name))
}

/** The run of a profile and client, if it was made. */
export const findRun = (runs: readonly FaultRun[], profile: string, client: ClientKind) =>
  runs.find((run) => run.profile.name === profile && run.client === client)

const ratio = (a: FaultRun | undefined, b: FaultRun | undefined) =>
  a && b && b.itemsPerSecond > 0 ? a.itemsPerSecond / b.itemsPerSecond : undefined

/** The main table: one row per run. */
export function runsTable(runs: readonly FaultRun[], names: string[]): ResultTable {
  return {
    caption:
      'Runs (items/s counts items that ended ok or rejected; x fault-free = against the same client without faults; x streaming = against the streaming client under the same faults)',
    headers: [
      'Faults',
      'Client',
      'Items done',
      'Wall s',
      'Items/s',
      '% of ceiling',
      'x fault-free',
      'x streaming',
      ...names.map((name) => `${name} util busy / steady`),
      'Longest silence s',
      'Retries',
      'Errors',
    ],
    rows: runs.map((run) => {
      const summary = run.run.result.run
      const errors = Object.entries(summary.errorsByCode)
        .map(([code, count]) => `${code.replace('DATAFLOW_', '')} ${count}`)
        .join(', ')
      const retries =
        run.client === 'streaming'
          ? (run.run.result.peer?.sdkRetries ?? 0) + (run.run.result.peer?.streamRetries ?? 0)
          : Object.values(summary.models).reduce((sum, model) => sum + model.attempts - model.requests, 0)
      return [
        run.profile.name,
        CLIENT_LABELS[run.client],
        `${run.items}${run.run.result.capped ? ` of ${summary.input} (capped)` : ''}`,
        num(run.wallS, 1),
        num(run.itemsPerSecond, 2),
        pct(run.itemsPerSecond / run.ceiling, 0),
        num(ratio(run, findRun(runs, 'none', run.client)), 2),
        run.client === 'streaming' ? '' : num(ratio(run, findRun(runs, run.profile.name, 'streaming')), 2),
        ...run.servers.map((server) => `${pct(server.busy, 0)} / ${pct(server.steady, 0)}`),
        num(Math.max(...run.servers.map((server) => server.silenceS)), 1),
        num(retries, 0),
        errors === '' ? '0' : errors,
      ]
    }),
  }
}

/** What our inference layer did: limits, pauses, timeouts, utilisation over time (dataflow runs). */
export function controlTable(runs: readonly FaultRun[], names: string[]): ResultTable {
  const rows: string[][] = []
  for (const run of runs.filter((one) => one.client === 'dataflow')) {
    const series = run.run.result.series
    const endpoints = Object.values(series?.endpoints ?? {})
    endpoints.forEach((endpoint, index) => {
      rows.push([
        run.profile.name,
        names[index] ?? String(index),
        sparkRow(run.servers[index]?.overTime ?? []),
        sparkRow(meanOverTime(endpoint.samples, (sample) => sample.limit)),
        sparkRow(meanOverTime(endpoint.samples, (sample) => sample.inFlight)),
        `${endpoint.minLimit}`,
        `${endpoint.decreases}`,
        `${endpoint.pauses}`,
        `${endpoint.timeouts}`,
      ])
    })
  }
  return {
    caption:
      "dataflow's adaptive control over time (each run cut into ten equal slices: server utilisation %, mean limit, mean requests in flight)",
    headers: [
      'Faults',
      'Server',
      'Utilisation % by tenth',
      'Limit by tenth',
      'In flight by tenth',
      'Lowest limit',
      'Decreases',
      'Pauses',
      'Timeouts',
    ],
    rows,
  }
}
