import { toNumber } from '../parse-command-line.js'

/** How the terminal follows a run: progress lines off a TTY. */
export interface TelemetrySettings {
  /** Progress line interval when stderr is not a TTY, in seconds; 0 turns it off. */
  progressSeconds: number
}

/** Default interval of the unattended progress line. */
export const PROGRESS_SECONDS = 30

export function toTelemetrySettings(flags: { 'progress-every'?: string | undefined }): TelemetrySettings {
  return { progressSeconds: toNumber(flags['progress-every'], 'progress-every', { min: 0 }) ?? PROGRESS_SECONDS }
}
