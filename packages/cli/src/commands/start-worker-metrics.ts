import type { LiveSnapshot } from '@dataflow/core'
import type { ChunkObserver, ChunkRunInfo } from '@dataflow/distributed'

/** The Prometheus endpoint of a `dataflow worker`: the runs of the chunks it took, added up. */
export interface WorkerMetricsEndpoint {
  url: string
  observeChunk(chunk: ChunkRunInfo): ChunkObserver
  close(): Promise<void>
}

/**
 * Binds `--metrics-port` as the worker starts. Series carry `pipeline`, `run` (the distributed
 * run id) and `worker` labels; counters add up the chunk runs of the current distributed run (a
 * chunk taken over counts the items done before the takeover too); a chunk of another run starts
 * fresh series. Gauges of endpoints are those of the chunks running now.
 */
export async function startWorkerMetrics(address: string, worker: string): Promise<WorkerMetricsEndpoint> {
  const { createRunMetrics, parseListenAddress, serveMetrics } = await import('@dataflow/metrics')
  const forRun = (runId: string | undefined, nodeIds: string[], labels: Record<string, string>) => {
    const metrics = createRunMetrics({ nodeIds, labels: { ...labels, worker } })
    const ended: LiveSnapshot[] = []
    const live = new Set<() => LiveSnapshot>()
    metrics.attach(() => [...ended, ...[...live].map((read) => read())])
    return { runId, metrics, ended, live }
  }
  let current = forRun(undefined, [], {})
  const server = await serveMetrics({
    ...parseListenAddress(address),
    scrape: () => current.metrics.scrape(),
    contentType: current.metrics.registry.contentType,
  })
  return {
    url: server.url,
    observeChunk({ runId, pipeline }) {
      if (current.runId !== runId)
        current = forRun(
          runId,
          pipeline.nodes.map((node) => node.id),
          { pipeline: pipeline.name, run: runId },
        )
      const run = current
      let read: (() => LiveSnapshot) | undefined
      return {
        hooks: run.metrics.hooks,
        started(telemetry) {
          read = () => telemetry.snapshot()
          run.live.add(read)
        },
        ended() {
          if (!read) return
          run.live.delete(read)
          run.ended.push({ ...read(), endpoints: [] })
        },
      }
    },
    close: () => server.close(),
  }
}
