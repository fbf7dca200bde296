import { Counter, Gauge, Registry } from 'prom-client'

/** What the distributed coordinator knows at a scrape: outcomes over all workers and chunks by state. */
export interface CoordinatorSnapshot {
  /** Items with an outcome: finished chunks plus the last progress the active chunks' workers reported. */
  progress: { ok: number; rejected: number; error: number; interrupted: number; total?: number | undefined }
  chunks: { waiting: number; active: number; done: number; failed: number }
}

export interface CoordinatorMetrics {
  readonly registry: Registry
  attach(read: () => CoordinatorSnapshot): void
  scrape(): Promise<string>
}

/**
 * The coordinator's Prometheus metrics (`dataflow run --queue --metrics-port`): `dataflow_items_total`
 * and `dataflow_items_expected` as a local run names them, over all workers, and `dataflow_chunks`
 * by state. Read from the coordinator's last look at the queue at each scrape.
 */
export function createCoordinatorMetrics(labels: Record<string, string> = {}): CoordinatorMetrics {
  const registry = new Registry()
  registry.setDefaultLabels(labels)
  let read: (() => CoordinatorSnapshot) | undefined
  let current: CoordinatorSnapshot | undefined
  const registers = [registry]
  new Counter<'outcome'>({
    name: 'dataflow_items_total',
    help: 'Input items with an outcome, over all workers (finished chunks and the progress of active ones).',
    labelNames: ['outcome'],
    registers,
    collect() {
      if (!current) return
      this.reset()
      for (const outcome of ['ok', 'rejected', 'error', 'interrupted'] as const)
        this.inc({ outcome }, current.progress[outcome])
    },
  })
  new Gauge({
    name: 'dataflow_items_expected',
    help: 'Items the input holds, when the source knows.',
    registers,
    collect() {
      if (current?.progress.total === undefined) return
      this.set(current.progress.total)
    },
  })
  new Gauge<'state'>({
    name: 'dataflow_chunks',
    help: 'Chunks of the distributed run by state: waiting (on the queue), active, done, failed.',
    labelNames: ['state'],
    registers,
    collect() {
      if (!current) return
      this.reset()
      for (const [state, count] of Object.entries(current.chunks)) this.set({ state }, count)
    },
  })
  return {
    registry,
    attach(reader) {
      read = reader
    },
    async scrape() {
      current = read?.()
      try {
        return await registry.metrics()
      } finally {
        current = undefined
      }
    },
  }
}
