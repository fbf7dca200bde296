import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'

/**
 * Where the request cache lives by default: `$DATAFLOW_CACHE_DIR/requests.sqlite`, else
 * `$XDG_CACHE_HOME/dataflow/requests.sqlite` (an absolute XDG_CACHE_HOME only, as the XDG spec
 * says), else `~/.cache/dataflow/requests.sqlite`.
 */
export function defaultRequestCachePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const own = env['DATAFLOW_CACHE_DIR']
  if (own) return join(own, 'requests.sqlite')
  const xdg = env['XDG_CACHE_HOME']
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache')
  return join(base, 'dataflow', 'requests.sqlite')
}
