/** BullMQ queue name: one distributed run at a time per Redis database (use `redis://host:6379/1` for another). */
export const QUEUE_NAME = 'dataflow'

/** Keys of dataflow's own state next to the BullMQ queue (same database). */
export const KEYS = {
  /** String: the run id the queue belongs to. */
  currentRun: 'dataflow:run',
  /** Hash: the run's settings and where cutting stopped (`cut`, `next`, `cutDone`). */
  meta: (runId: string) => `dataflow:run:${runId}:meta`,
  /** Hash: chunk index -> ChunkResult JSON, written by the worker that finished the chunk. */
  done: (runId: string) => `dataflow:run:${runId}:done`,
  /** Hash: worker id -> WorkerBeat JSON. */
  workers: 'dataflow:workers',
} as const
