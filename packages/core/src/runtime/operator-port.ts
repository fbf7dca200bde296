import {
  DataflowError,
  type Invocation,
  type ItemContext,
  type NodeInput,
  type NodeOperator,
  type NodeResult,
} from '@dataflow/sdk'
import { Subject, type Subscription } from 'rxjs'

interface Pending {
  resolve(result: NodeResult): void
  reject(error: unknown): void
}

/**
 * Connects a cross-item RxJS operator to per-item calls: each call pushes an invocation into the
 * operator's input stream and waits for the outcome with the same item id.
 */
export function createOperatorPort(nodeId: string, operator: NodeOperator) {
  const invocations$ = new Subject<Invocation>()
  const pending = new Map<string, Pending>()
  const failAll = (message: string) => {
    for (const [id, waiter] of pending) {
      waiter.reject(new DataflowError('DATAFLOW_NODE_FAILED', `${message} (item ${id})`))
    }
    pending.clear()
  }
  const subscription: Subscription = operator(invocations$.asObservable()).subscribe({
    next(outcome) {
      const waiter = pending.get(outcome.id)
      if (!waiter) return
      pending.delete(outcome.id)
      if ('error' in outcome) waiter.reject(outcome.error)
      else waiter.resolve(outcome.result)
    },
    error(error: unknown) {
      failAll(`operator node "${nodeId}" failed: ${error instanceof Error ? error.message : String(error)}`)
    },
    complete() {
      failAll(`operator node "${nodeId}" completed without an outcome`)
    },
  })
  return {
    invoke(input: NodeInput, context: ItemContext): Promise<NodeResult> {
      if (subscription.closed) {
        return Promise.reject(
          new DataflowError('DATAFLOW_NODE_FAILED', `operator node "${nodeId}" is no longer running`),
        )
      }
      return new Promise<NodeResult>((resolve, reject) => {
        pending.set(input.id, { resolve, reject })
        invocations$.next({ input, context })
      })
    },
    complete() {
      invocations$.complete()
      subscription.unsubscribe()
      failAll(`operator node "${nodeId}" was closed`)
    },
  }
}
