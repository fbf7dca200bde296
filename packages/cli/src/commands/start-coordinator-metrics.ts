import type { RunProgress } from '@dataflow/core'
import type { CoordinatorHandle } from '@dataflow/distributed'

/**
 * Binds `--metrics-port` for `dataflow run --queue` before the first chunk is cut: items by outcome
 * over all workers and chunks by state, as the coordinator last saw the queue.
 */
export async function startCoordinatorMetrics(
  address: string,
  pipeline: string,
): Promise<{ url: string; attach(handle: CoordinatorHandle): void; close(): Promise<void> }> {
  const { createCoordinatorMetrics, parseListenAddress, serveMetrics } = await import('@dataflow/metrics')
  const metrics = createCoordinatorMetrics({ pipeline })
  const server = await serveMetrics({
    ...parseListenAddress(address),
    scrape: () => metrics.scrape(),
    contentType: metrics.registry.contentType,
  })
  return {
    url: server.url,
    attach(handle) {
      let progress: RunProgress | undefined
      handle.progress$.subscribe((latest) => (progress = latest))
      metrics.attach(() => ({
        progress: progress ?? { ok: 0, rejected: 0, error: 0, interrupted: 0 },
        chunks: handle.chunks(),
      }))
    },
    close: () => server.close(),
  }
}
