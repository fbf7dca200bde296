import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { executePipeline, loadPipeline, type LoadedPipeline, type RunReport } from '@dataflow/core'
import { RESOLVE_FROM } from '../support/paths.js'
import { startProcessMeter, type ProcessMeasure } from '../support/process-meter.js'
import { createEngineServices } from './engine-services.js'
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
}

/** Runs CapFlow as one graph or as barrier stages through executePipeline, with one set of shared services. */
export async function runCapflowJob(job: CapflowJob): Promise<CapflowResult> {
  const before = job.before === undefined ? undefined : await measureRun(job.before)
  const env = { ...process.env, ...job.env }
  const pipeline = await loadPipeline(job.file, { env, set: job.set, resolveFrom: [RESOLVE_FROM] })
  const work = await mkdtemp(join(tmpdir(), 'bench-capflow-'))
  const services = createEngineServices(pipeline.models)
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
    const reports: RunReport[] = []
    for (const [index, run] of runs.entries()) {
      const runDir = join(work, `run-${index + 1}`)
      await mkdir(runDir)
      reports.push(await executePipeline(run, { runDir, logger, services }).done)
    }
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
    }
  } finally {
    await services.close()
    await rm(work, { recursive: true, force: true })
  }
}
