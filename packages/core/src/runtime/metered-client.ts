import type { CallOptions, ChatResult, InferenceClient, JsonChatRequest } from '@dataflow/sdk'

/** Wraps a bound client so that every answer a node gets is also counted for the item's record. */
export function meteredClient(client: InferenceClient, meter: (result: ChatResult) => void): InferenceClient {
  return {
    hasModel: (name) => client.hasModel(name),
    async chat(request, options) {
      const result = await client.chat(request, options)
      meter(result)
      return result
    },
    async chatJson<T>(request: JsonChatRequest, options?: CallOptions) {
      const result = await client.chatJson<T>(request, options)
      meter(result)
      return result
    },
  }
}
