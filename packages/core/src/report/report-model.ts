import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunReport } from '../run/run-report.js'
import { readPriorDigest, readTimeSeries } from '../telemetry/read-telemetry.js'
import type { RunStatus } from '../telemetry/run-status.js'
import type { TelemetryDigest } from '../telemetry/telemetry-digest.js'
import { telemetryFilesIn } from '../telemetry/telemetry-files.js'
import type { TimeSeriesPoint } from '../telemetry/time-series.js'
import { DataflowError } from '@dataflow/sdk'

/** Everything report.html is drawn from, read from a run directory (finished, running or killed). */
export interface ReportModel {
  runDir: string
  /** report.json: present once a session ended. */
  report: RunReport | undefined
  /** status.json: the run as of its last rewrite. */
  status: RunStatus | undefined
  digest: TelemetryDigest
  points: TimeSeriesPoint[]
  /** True when the last session has not ended (killed, or still running). */
  unfinished: boolean
  /** Thumbnails (data URLs) by gallery item id. */
  thumbnails: Map<string, string>
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Reads the telemetry files of a run directory; fails with DATAFLOW_USAGE when it holds none. */
export async function loadReportModel(runDir: string): Promise<Omit<ReportModel, 'thumbnails'>> {
  const files = telemetryFilesIn(runDir)
  const digest = await readPriorDigest(runDir)
  if (!digest)
    throw new DataflowError(
      'DATAFLOW_USAGE',
      `${runDir} holds no readable telemetry.json: it is not a run directory of this version`,
      {
        hint: 'give the run directory of a `dataflow run` (it holds telemetry.json, timeseries.jsonl, status.json)',
      },
    )
  const [report, status, points] = await Promise.all([
    readJson<RunReport>(join(runDir, 'report.json')),
    readJson<RunStatus>(files.status),
    readTimeSeries(runDir),
  ])
  const last = digest.sessions.at(-1)
  const unfinished = last?.status === 'running'
  // A report.json of an earlier session does not describe a later, unfinished one.
  return { runDir, report: unfinished ? undefined : report, status, digest, points, unfinished }
}
