import { Subject } from 'rxjs'
import type { ItemContext } from '../context.js'
import type { NodeInput } from '../item.js'
import type { Invocation, NodeOperator } from '../node-definition.js'
import type { NodeResult } from '../result.js'

/** Calls a cross-item operator node one item at a time, as the engine's operator port does. */
export function createOperatorInvoker(operator: NodeOperator) {
  const invocations$ = new Subject<Invocation>()
  const waiting = new Map<string, { resolve(result: NodeResult): void; reject(error: unknown): void }>()
  const subscription = operator(invocations$.asObservable()).subscribe({
    next(outcome) {
      const waiter = waiting.get(outcome.id)
      waiting.delete(outcome.id)
      if ('error' in outcome) waiter?.reject(outcome.error)
      else waiter?.resolve(outcome.result)
    },
    error(error: unknown) {
      for (const waiter of waiting.values()) waiter.reject(error)
      waiting.clear()
    },
  })
  return {
    invoke: (input: NodeInput, context: ItemContext) =>
      new Promise<NodeResult>((resolve, reject) => {
        if (subscription.closed) throw new Error('the operator stream ended')
        waiting.set(input.id, { resolve, reject })
        invocations$.next({ input, context })
      }),
    complete() {
      invocations$.complete()
      subscription.unsubscribe()
    },
  }
}
