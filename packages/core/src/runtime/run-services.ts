import type { InferenceReport } from '@dataflow/inference'
import type { DataflowError, InferenceClient, MediaTools } from '@dataflow/sdk'

/** Binds an inference client to one node call of one item. */
export interface InferenceBinding {
  node: string
  /** Depth of the node in the DAG: deeper nodes are admitted first, so started items drain. */
  priority: number
  /** The item's position in the input: older items first among equal priority. */
  sequence: number
  signal?: AbortSignal
}

/** The shared services of one run; the composition root builds them from the pipeline's `models:`. */
export interface RunServices {
  inference: {
    clientFor(binding: InferenceBinding): InferenceClient
    /** Calls the listener once if the service decides the run cannot go on (e.g. a dead server). */
    onFatal(listener: (error: DataflowError) => void): () => void
    report(): InferenceReport
    close(): Promise<void>
  }
  media: MediaTools & { close?(): Promise<void>; stats?(): unknown }
}
