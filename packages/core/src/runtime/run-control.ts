import type { DataflowError } from '@dataflow/sdk'
import { setMaxListeners } from 'node:events'

/**
 * The run's two stops: `stop` (graceful: nothing more is pulled, items in flight finish) and
 * `abort` (hard: items in flight end as interrupted). A guard that decides the run cannot go on
 * (a dead server, a failing journal) aborts it with a reason that the report shows.
 */
export class RunControl {
  readonly stop = new AbortController()
  readonly abort = new AbortController()
  private reason: DataflowError | undefined

  constructor() {
    // Plugins may listen on the run's signal (NodeContext.signal) from many items at once.
    setMaxListeners(0, this.abort.signal)
  }

  /** Why a guard aborted the run, if one did. */
  get abortError(): DataflowError | undefined {
    return this.reason
  }

  readonly abortRun = (error: DataflowError): void => {
    this.reason ??= error
    this.stop.abort(error)
    this.abort.abort(error)
  }

  /**
   * Stops and aborts the run when the caller's signals do (at once if they already did). Returns
   * the function that removes the listeners.
   */
  follow(stop: AbortSignal | undefined, abort: AbortSignal | undefined): () => void {
    const forwardStop = () => this.stop.abort(stop?.reason)
    const forwardAbort = () => {
      this.stop.abort(abort?.reason)
      this.abort.abort(abort?.reason)
    }
    stop?.addEventListener('abort', forwardStop, { once: true })
    abort?.addEventListener('abort', forwardAbort, { once: true })
    // A stop that came before the run (Ctrl-C while plugins loaded) ends it before the first item.
    if (abort?.aborted) forwardAbort()
    else if (stop?.aborted) forwardStop()
    return () => {
      stop?.removeEventListener('abort', forwardStop)
      abort?.removeEventListener('abort', forwardAbort)
    }
  }
}
