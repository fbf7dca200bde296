import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadPipeline, runPipeline, type RunReport } from '@dataflow/core'
import { RESOLVE_FROM } from '../support/paths.js'
import { heapMb, rssMb, startProcessMeter, type ProcessMeasure } from '../support/process-meter.js'

/** A pipeline file run the way the CLI runs it (runPipeline), measured. */
export interface PipelineRun {
  file: string
  set: string[]
  /** Interpolation variables (endpoint URLs). */
  env: Record<string, string>
  /** Item counts at which RSS is read during the run. */
  checkpoints?: number[]
}

export interface PipelineJob extends PipelineRun {
  type: 'pipeline'
  /** Runs this pipeline first in the same process and reports it apart (e.g. media preparation alone). */
  before?: PipelineRun
}

/** The parts of a run report the scenarios use. */
export interface RunSummary {
  wallMs: number
  input: number
  outcomes: RunReport['outcomes']
  errorsByCode: Record<string, number>
  /** Requests answered per model, and their tokens. */
  models: Record<
    string,
    { requests: number; attempts: number; promptTokens: number; completionTokens: number; latencyP95Ms: number }
  >
  /** Requests of all models. */
  requests: number
  media: unknown
  measure: ProcessMeasure
  /** RSS (and heap) when `done` reached each checkpoint. */
  checkpoints: Array<{ items: number; rssMb: number; heapMb: number }>
}

export interface PipelineResult {
  before?: RunSummary
  run: RunSummary
}

/** Loads and runs one pipeline file with runPipeline (quiet, silent logs) and measures the process. */
export async function measureRun(spec: PipelineRun): Promise<RunSummary> {
  const env = { ...process.env, ...spec.env }
  const pipeline = await loadPipeline(spec.file, { env, set: spec.set, resolveFrom: [RESOLVE_FROM] })
  const out = await mkdtemp(join(tmpdir(), `bench-${pipeline.name}-`))
  try {
    const wanted = new Set(spec.checkpoints ?? [])
    const checkpoints: RunSummary['checkpoints'] = []
    const meter = startProcessMeter()
    const { report } = await runPipeline(pipeline, {
      out,
      quiet: true,
      logLevel: 'silent',
      env,
      onStart(handle) {
        if (wanted.size === 0) return
        handle.progress$.subscribe((progress) => {
          if (wanted.has(progress.done)) checkpoints.push({ items: progress.done, rssMb: rssMb(), heapMb: heapMb() })
        })
      },
    })
    const measure = meter.stop()
    const models: RunSummary['models'] = {}
    let requests = 0
    for (const [name, model] of Object.entries(report.inference.models)) {
      models[name] = {
        requests: model.requests,
        attempts: model.attempts,
        promptTokens: model.promptTokens,
        completionTokens: model.completionTokens,
        latencyP95Ms: model.latencyMs.p95,
      }
      requests += model.requests
    }
    return {
      wallMs: report.wallMs,
      input: report.input,
      outcomes: report.outcomes,
      errorsByCode: report.errorsByCode,
      models,
      requests,
      media: report.media,
      measure,
      checkpoints,
    }
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

export async function runPipelineJob(job: PipelineJob): Promise<PipelineResult> {
  const before = job.before === undefined ? undefined : await measureRun(job.before)
  const run = await measureRun(job)
  return { ...(before === undefined ? {} : { before }), run }
}
