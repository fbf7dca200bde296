import { Observable } from 'rxjs'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'

/** Pulls between two yields to the event loop, so timers and signals run even when work finishes instantly. */
const PULLS_PER_TURN = 64

export interface PullOptions {
  /** Most values being worked on at once. */
  window: number
  /** When aborted, no further value is pulled; work in flight finishes and the stream completes. */
  stop?: AbortSignal
}

/**
 * Pulls values from an async iterable only when a credit is free (at most `window` in flight),
 * runs `work` on each and emits the results in completion order. Unlike `from(iterable)` with
 * `mergeMap`, nothing is read ahead: memory is bounded by the window, whatever the input size.
 * `work` must not reject; a rejection errors the stream.
 */
export function pullWithCredits<T, R>(
  source: AsyncIterable<T>,
  work: (value: T, index: number) => Promise<R>,
  options: PullOptions,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    const iterator = source[Symbol.asyncIterator]()
    let inFlight = 0
    let index = 0
    let exhausted = false
    let pulling = false
    let closed = false
    let pullsThisTurn = 0

    const completeIfDone = () => {
      if ((exhausted || options.stop?.aborted) && inFlight === 0 && !pulling && !closed) {
        closed = true
        subscriber.complete()
      }
    }
    const fail = (error: unknown) => {
      if (closed) return
      closed = true
      subscriber.error(error)
    }
    const pump = async () => {
      if (pulling) return
      pulling = true
      try {
        while (!closed && !exhausted && !options.stop?.aborted && inFlight < options.window) {
          if (++pullsThisTurn >= PULLS_PER_TURN) {
            pullsThisTurn = 0
            await yieldToEventLoop()
            if (closed || options.stop?.aborted) break
          }
          const next = await iterator.next()
          if (next.done) {
            exhausted = true
            break
          }
          if (closed) return
          inFlight++
          work(next.value, index++).then((result) => {
            inFlight--
            if (closed) return
            subscriber.next(result)
            void pump()
            completeIfDone()
          }, fail)
        }
      } catch (error) {
        fail(error)
        return
      } finally {
        pulling = false
      }
      completeIfDone()
    }

    const onStop = () => completeIfDone()
    options.stop?.addEventListener('abort', onStop)
    void pump()
    return () => {
      closed = true
      options.stop?.removeEventListener('abort', onStop)
      void iterator.return?.()
    }
  })
}
