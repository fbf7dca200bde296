import type { JsonSchema } from './json-schema.js'
import type { ImageRef, VideoRef } from './media.js'

/** One part of a multimodal message. Images and videos travel as references. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; image: ImageRef }
  /** Sent as a list of frames, or as one video input where the model's `videoInput` says the server supports it. */
  | { type: 'video'; video: VideoRef }

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string | ContentPart[]
}

/** A chat-completions request in dataflow terms; the inference layer maps it to the OpenAI API. */
export interface ChatRequest {
  /** Logical model name: a key of the pipeline's `models:`. */
  model: string
  messages: ChatMessage[]
  maxTokens?: number
  temperature?: number
  topP?: number
  stop?: string[]
  seed?: number
  /** Extra body fields for the server (e.g. vLLM's `top_k`); merged over the model's defaults. */
  extra?: Record<string, unknown>
}

export interface TokenUsage {
  promptTokens: number
  completionTokens: number
}

export interface ChatResult {
  text: string
  finishReason: string
  usage: TokenUsage
  /** Model name the server reported. */
  servedModel: string
  latencyMs: number
  /** HTTP attempts it took (1 = no retry). */
  attempts: number
  /** True when the answer came from the request cache. */
  cached: boolean
}

export interface JsonChatRequest extends ChatRequest {
  /** The answer must be a JSON value matching this schema; validated on our side whatever the server does. */
  schema: JsonSchema
  /** Name given to the schema in `response_format`. */
  schemaName: string
}

export interface JsonChatResult<T> extends ChatResult {
  value: T
  /** True when the first answer was invalid and the model was asked again. */
  reasked: boolean
}

/** Per-call options the engine fills in; plugins rarely set them. */
export interface CallOptions {
  signal?: AbortSignal
}

/**
 * The inference client injected into nodes. It is bound to the node and the item:
 * requests share the run's admission pool per endpoint, are retried by the core, and
 * are accounted to the node. Plugins never construct HTTP clients.
 */
export interface InferenceClient {
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResult>
  /** Structured output: JSON Schema via response_format where supported, ajv-validated, one re-ask on invalid output. */
  chatJson<T>(request: JsonChatRequest, options?: CallOptions): Promise<JsonChatResult<T>>
  /** True if `name` is declared under the pipeline's `models:`. */
  hasModel(name: string): boolean
}
