import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import type { RunReport } from './run-report.js'

/** One run's part in a merged report. */
export interface MergedRun {
  runDir: string
  status: RunReport['status']
  /** `i/n` when the run took one shard of the input. */
  shard: string | undefined
  input: number
  outcomes: RunReport['outcomes']
  startedAt: string
  finishedAt: string
}

/** Several runs of one pipeline (shards, machines, sessions) as one: what `dataflow merge` writes. */
export interface MergedReport {
  pipeline: string
  runs: MergedRun[]
  /** Input records that got an outcome, over all runs. */
  input: number
  /** Sum of the records the runs' sources announced, when every run knew its count. */
  expected: number | undefined
  outcomes: RunReport['outcomes']
  errorRate: number
  errorsByCode: Record<string, number>
  /** From the first start to the last finish. */
  wallMs: number
  itemsPerSecond: number
  /** Per node: counts summed over the runs (latency percentiles do not add up and are left out). */
  nodes: Record<string, Record<string, number>>
  /** Per model: requests and tokens summed; GPU-hours where configured. */
  models: Record<string, { requests: number; promptTokens: number; completionTokens: number; gpuHours?: number }>
  cost: { byTokens: Record<string, number>; byGpu: Record<string, number> }
  /** Every output file by sink id, absolute, run after run in the order given. */
  outputs: Record<string, string[]>
  /** For sharded runs: how many shards the input was cut into, and which are missing or given twice. */
  shards?: { count: number; missing: number[]; repeated: number[] }
  /** What a reader of the figures should know (unfinished runs, usage that covers only a last session). */
  notes: string[]
}

/** Reads `report.json` of every run directory and combines them. Refuses runs of different pipelines. */
export function mergeRuns(runDirs: readonly string[]): MergedReport {
  if (runDirs.length === 0) throw new DataflowError('DATAFLOW_USAGE', 'merge needs at least one run directory')
  const reports = runDirs.map((dir) => ({ dir: resolve(dir), report: readReport(dir) }))
  const pipelines = [...new Set(reports.map(({ report }) => report.pipeline.name))]
  if (pipelines.length > 1) {
    throw new DataflowError('DATAFLOW_USAGE', `the runs are of different pipelines: ${pipelines.join(', ')}`, {
      hint: 'merge runs of one pipeline (its shards, or the runs of several machines)',
    })
  }
  const merged: MergedReport = {
    pipeline: pipelines[0]!,
    runs: [],
    input: 0,
    expected: 0,
    outcomes: { ok: 0, rejected: 0, error: 0, interrupted: 0 },
    errorRate: 0,
    errorsByCode: {},
    wallMs: 0,
    itemsPerSecond: 0,
    nodes: {},
    models: {},
    cost: { byTokens: {}, byGpu: {} },
    outputs: {},
    notes: [],
  }
  const add = (totals: Record<string, number>, key: string, value: number) => (totals[key] = (totals[key] ?? 0) + value)
  for (const { dir, report } of reports) {
    merged.runs.push({
      runDir: dir,
      status: report.status,
      shard: report.shard,
      input: report.input,
      outcomes: report.outcomes,
      startedAt: report.startedAt,
      finishedAt: report.finishedAt,
    })
    merged.input += report.input
    merged.expected =
      merged.expected === undefined || report.expected === undefined ? undefined : merged.expected + report.expected
    for (const kind of ['ok', 'rejected', 'error', 'interrupted'] as const)
      merged.outcomes[kind] += report.outcomes[kind]
    for (const [code, count] of Object.entries(report.errorsByCode)) add(merged.errorsByCode, code, count)
    for (const [node, counts] of Object.entries(report.nodes)) {
      const total = (merged.nodes[node] ??= {})
      for (const [event, count] of Object.entries(counts)) if (typeof count === 'number') add(total, event, count)
    }
    for (const [name, model] of Object.entries(report.inference.models)) {
      const total = (merged.models[name] ??= { requests: 0, promptTokens: 0, completionTokens: 0 })
      total.requests += model.requests
      total.promptTokens += model.promptTokens
      total.completionTokens += model.completionTokens
      if (model.gpuHours !== undefined) total.gpuHours = (total.gpuHours ?? 0) + model.gpuHours
    }
    for (const [currency, amount] of Object.entries(report.inference.cost.byTokens))
      add(merged.cost.byTokens, currency, amount)
    for (const [currency, amount] of Object.entries(report.inference.cost.byGpu))
      add(merged.cost.byGpu, currency, amount)
    for (const [sink, files] of Object.entries(report.outputs ?? {}))
      (merged.outputs[sink] ??= []).push(...files.map((file) => (isAbsolute(file) ? file : join(dir, file))))
    if (report.status !== 'completed')
      merged.notes.push(`${dir}: ${report.status}, not completed (resume it to finish its items)`)
    if (report.resume)
      merged.notes.push(
        `${dir}: resumed; its node counts, usage and cost are of its latest session only (outcomes cover the whole run)`,
      )
  }
  const started = Math.min(...reports.map(({ report }) => Date.parse(report.startedAt)))
  const finished = Math.max(...reports.map(({ report }) => Date.parse(report.finishedAt)))
  merged.wallMs = Math.max(0, finished - started)
  merged.itemsPerSecond = merged.wallMs > 0 ? Math.round((merged.input / merged.wallMs) * 1000 * 100) / 100 : 0
  merged.errorRate = merged.input === 0 ? 0 : merged.outcomes.error / merged.input
  const shards = checkShards(merged.runs)
  if (shards) {
    merged.shards = shards
    if (shards.missing.length > 0)
      merged.notes.push(`shards missing: ${shards.missing.map((index) => `${index}/${shards.count}`).join(', ')}`)
    if (shards.repeated.length > 0)
      merged.notes.push(
        `shards given more than once (their items are counted twice): ${shards.repeated.map((index) => `${index}/${shards.count}`).join(', ')}`,
      )
  }
  return merged
}

function readReport(dir: string): RunReport {
  const path = join(dir, 'report.json')
  if (!existsSync(path)) {
    throw new DataflowError('DATAFLOW_USAGE', `${dir} holds no report.json`, {
      hint: 'give run directories of finished `dataflow run` sessions (a killed run writes its report once resumed)',
    })
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunReport
  } catch (error) {
    throw new DataflowError('DATAFLOW_USAGE', `${path} is not a run report: ${(error as Error).message}`)
  }
}

/** Shard coverage when every run took a shard of the same count; undefined for unsharded runs. */
function checkShards(runs: readonly MergedRun[]): MergedReport['shards'] {
  const parsed = runs.map((run) => run.shard?.split('/').map(Number))
  if (parsed.some((shard) => shard === undefined)) return undefined
  const counts = new Set(parsed.map((shard) => shard![1]!))
  if (counts.size !== 1) return undefined
  const count = [...counts][0]!
  const seen = new Map<number, number>()
  for (const shard of parsed) seen.set(shard![0]!, (seen.get(shard![0]!) ?? 0) + 1)
  return {
    count,
    missing: Array.from({ length: count }, (_, index) => index).filter((index) => !seen.has(index)),
    repeated: [...seen].filter(([, times]) => times > 1).map(([index]) => index),
  }
}
