import type { ItemContext, NodeInput, NodeInstance, NodeResult } from '@dataflow/sdk'
import { createOperatorPort } from './operator-port.js'

/** Calls one node for one item, whatever kind of instance it is (item handler or RxJS operator). */
export interface NodeRunner {
  invoke(input: NodeInput, context: ItemContext): Promise<NodeResult>
  /** Ends operator streams and calls the instance's close(). */
  close(): Promise<void>
}

export function createNodeRunner(nodeId: string, instance: NodeInstance): NodeRunner {
  if (instance.operator) {
    const port = createOperatorPort(nodeId, instance.operator)
    return {
      invoke: (input, context) => port.invoke(input, context),
      async close() {
        port.complete()
        await instance.close?.()
      },
    }
  }
  const process = instance.process
  return {
    invoke: async (input, context) => process(input, context),
    async close() {
      await instance.close?.()
    },
  }
}
