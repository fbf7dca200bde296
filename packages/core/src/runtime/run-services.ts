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
  /** Each chat completion of this binding as it ends (answered, cached or failed; a re-ask counts): the item's accounting. */
  onRequest?(request: RequestUsage): void
}

/** What the item's accounting reads of one ended request (a subset of the inference layer's RequestEvent). */
export interface RequestUsage {
  promptTokens: number
  completionTokens: number
  cached: boolean
  /** The model name the server answered with; absent for a failed request. */
  responseModel?: string
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
