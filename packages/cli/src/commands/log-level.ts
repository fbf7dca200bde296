import { DataflowError } from '@dataflow/sdk'

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Checks `--log-level` (default info). */
export function toLogLevel(value: string | undefined): LogLevel {
  const level = (value ?? 'info') as LogLevel
  if (!LOG_LEVELS.includes(level))
    throw new DataflowError('DATAFLOW_USAGE', `--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`)
  return level
}
