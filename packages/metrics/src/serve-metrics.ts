import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DataflowError } from '@dataflow/sdk'

export interface MetricsServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number
  /** Interface to bind; default every interface, as Prometheus exporters do (give 127.0.0.1 to keep it local). */
  host?: string
  /** The exposition text and its content type, read at each scrape. */
  scrape(): Promise<string>
  contentType: string
}

export interface MetricsServer {
  /** `http://host:port/metrics` as bound (the real port when 0 was asked for). */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves `GET /metrics` until closed. Fails with DATAFLOW_USAGE when the port cannot be bound,
 * before any item runs.
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('dataflow serves GET /metrics only\n')
      return
    }
    options.scrape().then(
      (text) => response.writeHead(200, { 'content-type': options.contentType }).end(text),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`${error instanceof Error ? error.message : String(error)}\n`),
    )
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new DataflowError(
          'DATAFLOW_USAGE',
          `cannot serve metrics on port ${options.port}: ${error.code ?? error.message}`,
          {
            hint:
              error.code === 'EADDRINUSE'
                ? 'another process listens there: pick another --metrics-port (0 picks a free one)'
                : 'pick another --metrics-port',
            cause: error,
          },
        ),
      ),
    )
    server.listen(options.port, options.host, () => resolve())
  })
  server.unref()
  const address = server.address() as AddressInfo
  const host = options.host ?? 'localhost'
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host
  return {
    url: `http://${shown}:${address.port}/metrics`,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
