import { toNumber } from '../parse-command-line.js'

/** How a run is followed from outside: progress lines off a TTY, Prometheus metrics. */
export interface TelemetrySettings {
  /** Progress line interval when stderr is not a TTY, in seconds; 0 turns it off. */
  progressSeconds: number
  /** `--metrics-port` as given (`9464` or `host:port`); absent: no metrics server. */
  metricsAddress?: string
}

/** Default interval of the unattended progress line. */
export const PROGRESS_SECONDS = 30

export function toTelemetrySettings(flags: {
  'progress-every'?: string | undefined
  'metrics-port'?: string | undefined
}): TelemetrySettings {
  return {
    progressSeconds: toNumber(flags['progress-every'], 'progress-every', { min: 0 }) ?? PROGRESS_SECONDS,
    ...(flags['metrics-port'] === undefined ? {} : { metricsAddress: flags['metrics-port'] }),
  }
}
