import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  InferenceClient,
  JsonChatRequest,
  JsonChatResult,
} from '@dataflow/sdk'

/**
 * Wraps a bound client so that every answer a node gets is also counted for the item's record.
 * A class, not a literal of closures: one is made per node call.
 */
export class MeteredClient implements InferenceClient {
  constructor(
    private readonly client: InferenceClient,
    private readonly meter: (result: ChatResult) => void,
  ) {}

  hasModel(name: string): boolean {
    return this.client.hasModel(name)
  }

  async chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    const result = await this.client.chat(request, options)
    this.meter(result)
    return result
  }

  async chatJson<T>(request: JsonChatRequest, options?: CallOptions): Promise<JsonChatResult<T>> {
    const result = await this.client.chatJson<T>(request, options)
    this.meter(result)
    return result
  }
}
