import { readFile } from 'node:fs/promises'
import { telemetryFilesIn } from './telemetry-files.js'
import { TELEMETRY_VERSION, type TelemetryDigest } from './telemetry-digest.js'
import type { TimeSeriesPoint } from './time-series.js'

/** telemetry.json of an earlier session, if there is a readable one of this version. */
export async function readPriorDigest(runDir: string): Promise<TelemetryDigest | undefined> {
  try {
    const digest = JSON.parse(await readFile(telemetryFilesIn(runDir).digest, 'utf8')) as TelemetryDigest
    return digest.version === TELEMETRY_VERSION ? digest : undefined
  } catch {
    return undefined
  }
}

/** Every point of timeseries.jsonl; a line cut short by a kill is skipped. */
export async function readTimeSeries(runDir: string): Promise<TimeSeriesPoint[]> {
  let text: string
  try {
    text = await readFile(telemetryFilesIn(runDir).timeSeries, 'utf8')
  } catch {
    return []
  }
  const points: TimeSeriesPoint[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    try {
      points.push(JSON.parse(line) as TimeSeriesPoint)
    } catch {
      // the last line of a killed run may be cut short
    }
  }
  return points
}
