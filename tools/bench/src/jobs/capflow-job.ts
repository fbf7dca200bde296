import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { executePipeline, loadPipeline, type LoadedPipeline, type RunReport } from '@dataflow/core'
import { RESOLVE_FROM } from '../support/paths.js'
import { startProcessMeter, type ProcessMeasure } from '../support/process-meter.js'
import { createEngineServices } from './engine-services.js'
import { createStreamingPeer, type StreamingPeerStats } from '../peers/streaming-inference.js'
import { sampleInference, type InferenceSeries } from './inference-series.js'
import type { PipelineRun, RunSummary } from './pipeline-job.js'
import { measureRun } from './pipeline-job.js'
import { toStageDocuments } from './stage-documents.js'

export interface CapflowJob extends PipelineRun {
  type: 'capflow'
  /** `graph`: the pipeline as one graph. `stages`: the same nodes in barrier stages (the research-script way). */
  mode: 'graph' | 'stages'
  /** Node ids per stage (mode `stages`). */
  stages?: string[][]
  /** Runs this pipeline first in the same process and reports it apart (media preparation alone). */
  before?: PipelineRun
  /** Who sends the requests: our inference layer (default) or the hand-tuned streaming peer. */
  client?: 'dataflow' | { type: 'streaming'; limits: Record<string, number>; timeoutMs: number; maxRetries: number }
  /** Stop the run (hard) after this many seconds and report what was done. */
  capSeconds?: number
  /** Sample the inference layer's limit and in-flight count every this many ms (dataflow client only). */
  sampleEveryMs?: number
}

export interface StageFigures {
  nodes: string[]
  wallMs: number
  input: number
}

export interface CapflowResult {
  before?: RunSummary
  run: RunSummary
  stages?: StageFigures[]
  media: unknown
  /** True when `capSeconds` stopped the run. */
  capped?: boolean
  /** Limit and in-flight per endpoint over time, pauses, retries, timeouts (dataflow client). */
  series?: InferenceSeries
  /** What the streaming peer counted. */
  peer?: StreamingPeerStats
  /** GPU cost by currency from the run's inference report (dataflow client). */
  gpuCost?: Record<string, number>
}

/** Runs CapFlow as one graph or as barrier stages through executePipeline, with one set of shared services. */
export async function runCapflowJob(job: CapflowJob): Promise<CapflowResult> {
  const before = job.before === undefined ? undefined : await measureRun(job.before)
  const env = { ...process.env, ...job.env }
  const pipeline = await loadPipeline(job.file, { env, set: job.set, resolveFrom: [RESOLVE_FROM] })
  const work = await mkdtemp(join(tmpdir(), 'bench-capflow-'))
  const engine = createEngineServices(pipeline.models)
  const peer =
    job.client === undefined || job.client === 'dataflow'
      ? undefined
      : createStreamingPeer({
          models: pipeline.models,
          limits: job.client.limits,
          maxRetries: job.client.maxRetries,
          timeoutMs: job.client.timeoutMs,
          streamRetries: job.client.maxRetries,
          readImage: (ref) => engine.media.readImage(ref),
        })
  const services = peer === undefined ? engine : { ...engine, inference: peer }
  const logger = pino({ level: 'silent' })
  try {
    let runs: LoadedPipeline[] = [pipeline]
    if (job.mode === 'stages') {
      const documents = toStageDocuments(pipeline.document, job.stages ?? [])
      runs = []
      for (const [index, document] of documents.entries()) {
        const file = join(work, `stage-${index + 1}.yaml`)
        await writeFile(file, JSON.stringify(document, null, 2)) // JSON is YAML
        runs.push(await loadPipeline(file, { env, resolveFrom: [RESOLVE_FROM] }))
      }
    }
    const meter = startProcessMeter()
    const sampler = peer === undefined ? sampleInference(engine.inference, job.sampleEveryMs ?? 250) : undefined
    const abort = new AbortController()
    let capped = false
    const cap =
      job.capSeconds === undefined
        ? undefined
        : setTimeout(() => {
            capped = true
            abort.abort(new Error(`capped after ${job.capSeconds} s`))
          }, job.capSeconds * 1000)
    const reports: RunReport[] = []
    for (const [index, run] of runs.entries()) {
      const runDir = join(work, `run-${index + 1}`)
      await mkdir(runDir)
      reports.push(await executePipeline(run, { runDir, logger, services, abort: abort.signal }).done)
    }
    clearTimeout(cap)
    const series = sampler?.stop()
    const measure: ProcessMeasure = meter.stop()
    const inference = services.inference.report()
    const models: RunSummary['models'] = {}
    let requests = 0
    for (const [name, model] of Object.entries(inference.models)) {
      models[name] = {
        requests: model.requests,
        attempts: model.attempts,
        promptTokens: model.promptTokens,
        completionTokens: model.completionTokens,
        latencyP95Ms: model.latencyMs.p95,
      }
      requests += model.requests
    }
    if (peer !== undefined) requests = peer.stats().requests
    const final = reports.at(-1)!
    const first = reports[0]!
    return {
      ...(before === undefined ? {} : { before }),
      run: {
        wallMs: measure.wallMs,
        input: first.input,
        outcomes: final.outcomes,
        errorsByCode: Object.assign({}, ...reports.map((report) => report.errorsByCode)) as Record<string, number>,
        models,
        requests,
        media: services.media.stats?.(),
        measure,
        checkpoints: [],
      },
      ...(job.mode === 'stages'
        ? {
            stages: reports.map((report, index) => ({
              nodes: job.stages![index]!,
              wallMs: report.wallMs,
              input: report.input,
            })),
          }
        : {}),
      media: services.media.stats?.(),
      ...(capped ? { capped } : {}),
      ...(series === undefined ? {} : { series, gpuCost: inference.cost.byGpu }),
      ...(peer === undefined ? {} : { peer: peer.stats() }),
    }
  } finally {
    await peer?.close()
    await engine.close()
    await rm(work, { recursive: true, force: true })
  }
}
