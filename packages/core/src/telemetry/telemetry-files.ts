import { join } from 'node:path'

/** The telemetry files of a run directory. */
export interface TelemetryFiles {
  /** One JSON line per sample (see TimeSeriesPoint): appended, so a killed run keeps all but the last instant. */
  timeSeries: string
  /** Distributions, gallery sample, error groups, node latencies (TelemetryDigest). */
  digest: string
  /** The run now (RunStatus), for scripts. */
  status: string
  /** The report page. */
  html: string
}

export function telemetryFilesIn(runDir: string): TelemetryFiles {
  return {
    timeSeries: join(runDir, 'timeseries.jsonl'),
    digest: join(runDir, 'telemetry.json'),
    status: join(runDir, 'status.json'),
    html: join(runDir, 'report.html'),
  }
}
