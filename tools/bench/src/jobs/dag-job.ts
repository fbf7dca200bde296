import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { executePipeline, loadPipeline, RunTelemetry } from '@dataflow/core'
import { createRunMetrics } from '@dataflow/metrics'
import { collectGarbage, heapMb, rssMb, startProcessMeter, type ProcessMeasure } from '../support/process-meter.js'
import { benchPipeline } from '../support/paths.js'
import { createEngineServices } from './engine-services.js'

export interface DagJob {
  type: 'dag'
  items: number
  /** Item counts at which RSS is read during the run. */
  checkpoints: number[]
  window?: number
  /** What observes the items besides the engine: nothing (default), the run telemetry as runPipeline has it, or that plus the Prometheus hooks. */
  telemetry?: 'off' | 'run' | 'run+prometheus'
}

export interface DagResult {
  items: number
  ok: number
  itemsPerSecond: number
  measure: ProcessMeasure
  /** RSS (and heap) when `done` reached each checkpoint. */
  checkpoints: Array<{ items: number; rssMb: number; heapMb: number }>
}

/** Runs the 6-node trivial DAG over `items` generated items through executePipeline (pure engine, null sink). */
export async function runDagJob(job: DagJob): Promise<DagResult> {
  const set = [`source.with.count=${job.items}`, ...(job.window === undefined ? [] : [`run.window=${job.window}`])]
  const pipeline = await loadPipeline(benchPipeline('dag.yaml'), { set })
  const runDir = await mkdtemp(join(tmpdir(), 'bench-dag-'))
  const services = createEngineServices({})
  const wanted = new Set(job.checkpoints)
  const checkpoints: DagResult['checkpoints'] = []
  collectGarbage()
  const meter = startProcessMeter()
  const metrics =
    job.telemetry === 'run+prometheus'
      ? createRunMetrics({ nodeIds: pipeline.nodes.map((node) => node.id) })
      : undefined
  const telemetry =
    job.telemetry === 'run' || job.telemetry === 'run+prometheus'
      ? new RunTelemetry({ pipeline, ...(metrics ? { forward: metrics.hooks } : {}) })
      : undefined
  const handle = executePipeline(pipeline, {
    runDir,
    logger: pino({ level: 'silent' }),
    services,
    ...(telemetry ? { observer: telemetry.observer } : {}),
  })
  telemetry?.attachNodes(handle.nodes)
  if (telemetry) metrics?.attach(() => telemetry.snapshot())
  handle.progress$.subscribe((progress) => {
    if (wanted.has(progress.done)) checkpoints.push({ items: progress.done, rssMb: rssMb(), heapMb: heapMb() })
  })
  const report = await handle.done
  const measure = meter.stop()
  // A scrape and a digest at the end, so the work the observers did cannot be optimised away.
  if (metrics) await metrics.scrape()
  telemetry?.digest()
  await services.close()
  await rm(runDir, { recursive: true, force: true })
  return {
    items: report.input,
    ok: report.outcomes.ok,
    itemsPerSecond: Math.round(report.input / (measure.wallMs / 1000)),
    measure,
    checkpoints,
  }
}
