import { DataflowError } from '@dataflow/sdk'

/** `9464`, `127.0.0.1:9464` or `[::1]:9464` as given to `--metrics-port`; port 0 picks a free one. */
export function parseListenAddress(text: string): { host?: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim())
  const port = match ? Number(match[2]) : NaN
  if (!match || port > 65_535)
    throw new DataflowError('DATAFLOW_USAGE', `--metrics-port "${text}" is not a port`, {
      hint: 'give a port (9464), or host:port to bind one interface (127.0.0.1:9464); 0 picks a free port',
    })
  const host = match[1]?.replace(/^\[|\]$/g, '')
  return host === undefined ? { port } : { host, port }
}
