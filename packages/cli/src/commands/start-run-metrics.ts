import type { LiveSnapshot, LoadedPipeline, RunHooks } from '@dataflow/core'

/** The Prometheus endpoint of one run, as the CLI serves it. */
export interface RunMetricsEndpoint {
  url: string
  hooks: RunHooks
  attach(read: () => LiveSnapshot): void
  close(): Promise<void>
}

/**
 * Binds `--metrics-port` before the first item (a taken port is a usage error, exit 2).
 * @dataflow/metrics is imported only here, so a run without the flag never loads prom-client.
 */
export async function startRunMetrics(pipeline: LoadedPipeline, address: string): Promise<RunMetricsEndpoint> {
  const { createRunMetrics, parseListenAddress, serveMetrics } = await import('@dataflow/metrics')
  const listen = parseListenAddress(address)
  const metrics = createRunMetrics({
    nodeIds: pipeline.nodes.map((node) => node.id),
    labels: { pipeline: pipeline.name },
  })
  const server = await serveMetrics({
    ...listen,
    scrape: () => metrics.scrape(),
    contentType: metrics.registry.contentType,
  })
  return { url: server.url, hooks: metrics.hooks, attach: (read) => metrics.attach(read), close: () => server.close() }
}
