import { appendFile, rename, writeFile } from 'node:fs/promises'
import type { Logger } from '@dataflow/sdk'
import { formatStatusLine, RATE_WINDOW_MS, toRunStatus, type RunStatus } from './run-status.js'
import type { RunTelemetry } from './run-telemetry.js'
import type { SessionStatus } from './telemetry-digest.js'
import { telemetryFilesIn } from './telemetry-files.js'
import { nextSampleDelay, SAMPLE_MS, type TimeSeriesPoint } from './time-series.js'

/** Time between two rewrites of status.json and telemetry.json. */
export const STATUS_MS = 5000

export interface TelemetryWriterOptions {
  telemetry: RunTelemetry
  runDir: string
  pipeline: string
  logger: Logger
  /** A progress line in the log (run.log, and stderr unless quiet) this often; off when undefined. */
  progressEveryMs?: number | undefined
  /** Base interval between time-series points (default 1000 ms). */
  sampleMs?: number
  /** Interval between status.json / telemetry.json rewrites (default 5000 ms). */
  statusMs?: number
}

export interface TelemetryWriter {
  /** The latest status (also in status.json). */
  status(): RunStatus | undefined
  /** Writes the last point, status.json and telemetry.json with the session's final status. */
  stop(status: SessionStatus): Promise<void>
}

/** Writes the time series, status.json and telemetry.json of a run on timers (unref'd: they never keep the process alive). */
export function startTelemetryWriter(options: TelemetryWriterOptions): TelemetryWriter {
  const { telemetry, logger } = options
  const files = telemetryFilesIn(options.runDir)
  const startedAt = Date.now()
  const recent: TimeSeriesPoint[] = []
  let points = 0
  let latest: RunStatus | undefined
  let sessionStatus: SessionStatus = 'running'
  let writing: Promise<void> = Promise.resolve()
  let lastProgressLine = Date.now()
  const timers = new Set<NodeJS.Timeout>()

  const enqueue = (write: () => Promise<void>) => {
    writing = writing.then(write).catch((error: unknown) => {
      logger.warn({ err: error }, 'could not write run telemetry (report.html may miss recent data)')
    })
    return writing
  }
  const writeAtomically = async (path: string, content: string) => {
    const temporary = `${path}.tmp`
    await writeFile(temporary, content)
    await rename(temporary, path)
  }

  const takePoint = () => {
    telemetry.setStatus(sessionStatus)
    const point = telemetry.sample()
    points++
    recent.push(point)
    while (recent.length > 2 && point.at - recent[1]!.at >= RATE_WINDOW_MS) recent.shift()
    const earlier = recent.length > 1 ? recent[0] : undefined
    latest = toRunStatus(
      { pipeline: options.pipeline, runDir: options.runDir, pid: process.pid, status: sessionStatus, startedAt },
      telemetry.latestProgress,
      point,
      earlier,
    )
    void enqueue(() => appendFile(files.timeSeries, `${JSON.stringify(point)}\n`))
    return point
  }
  const writeState = () =>
    enqueue(async () => {
      if (latest) await writeAtomically(files.status, `${JSON.stringify(latest, null, 2)}\n`)
      await writeAtomically(files.digest, `${JSON.stringify(telemetry.digest())}\n`)
    })

  const schedule = (callback: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      callback()
    }, ms)
    timer.unref()
    timers.add(timer)
  }
  const sampleLoop = () => {
    takePoint()
    if (options.progressEveryMs !== undefined && Date.now() - lastProgressLine >= options.progressEveryMs) {
      lastProgressLine = Date.now()
      logger.info({ progress: latest }, formatStatusLine(latest!))
    }
    schedule(sampleLoop, nextSampleDelay(points, options.sampleMs ?? SAMPLE_MS))
  }
  const statusLoop = () => {
    void writeState()
    schedule(statusLoop, options.statusMs ?? STATUS_MS)
  }
  takePoint()
  void writeState()
  schedule(sampleLoop, nextSampleDelay(points, options.sampleMs ?? SAMPLE_MS))
  schedule(statusLoop, options.statusMs ?? STATUS_MS)

  return {
    status: () => latest,
    async stop(status) {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      sessionStatus = status
      takePoint()
      await writeState()
    },
  }
}
