import type { RunCacheOptions } from '@dataflow/core'
import { DataflowError } from '@dataflow/sdk'

const MODES = ['read-write', 'read-only', 'refresh', 'off'] as const

/** `--cache` (default read-write) and `--cache-path`. */
export function toCacheOptions(mode: string | undefined, path: string | undefined): RunCacheOptions {
  const chosen = (mode ?? 'read-write') as RunCacheOptions['mode']
  if (!MODES.includes(chosen))
    throw new DataflowError('DATAFLOW_USAGE', `--cache must be one of ${MODES.join(', ')}, got "${chosen}"`)
  if (chosen === 'off' && path !== undefined)
    throw new DataflowError('DATAFLOW_USAGE', '--cache-path has no use with --cache off')
  return { mode: chosen, ...(path === undefined ? {} : { path }) }
}
