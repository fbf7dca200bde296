import { OpenAI } from 'openai'
import {
  DataflowError,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ImageRef,
  type InferenceClient,
  type JsonChatRequest,
  type JsonChatResult,
} from '@dataflow/sdk'
import type { InferenceReport, ModelConfig } from '@dataflow/inference'
import type { RunServices } from '@dataflow/core'

/** Settings of the hand-tuned client, per run. */
export interface StreamingPeerOptions {
  models: Record<string, ModelConfig>
  /** Fixed in-flight limit per base URL (hand-tuned to the server's batch size). */
  limits: Record<string, number>
  /** The SDK's own retries (429, 5xx, timeouts, connection errors) with its backoff and Retry-After. */
  maxRetries: number
  /** The SDK's per-request timeout in ms (until the response headers arrive). */
  timeoutMs: number
  /** Extra attempts for answers that broke mid-stream or are not JSON (the SDK does not retry those). */
  streamRetries: number
  readImage(ref: ImageRef): Promise<Uint8Array>
}

/** What the peer counted, for the benchmark table. */
export interface StreamingPeerStats {
  requests: number
  /** Attempts of ours (mid-stream failures); the SDK's own retries are invisible to it, see `sdkRetries`. */
  streamRetries: number
  /** Retries the SDK made, counted through its fetch. */
  sdkRetries: number
  failed: number
  promptTokens: number
  completionTokens: number
}

/** A counting semaphore: what `p-limit` does, in a few lines. */
function createLimit(size: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async (work) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    else active++
    try {
      return await work()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

type WirePart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }

/**
 * The peer of issue 9's table: a hand-written client as a careful user would write it with the
 * `openai` SDK: streaming answers, one fixed in-flight limit per server, the SDK's own retries
 * (which honour Retry-After), a timeout tuned to the server. It sends the same bodies as
 * dataflow (same messages, parameters and response_format, plus `stream`), so the simulator
 * gives the same answers. Plugged into the same graph as `services.inference`, so only the
 * request handling differs between the two runs.
 */
export function createStreamingPeer(options: StreamingPeerOptions): RunServices['inference'] & {
  stats(): StreamingPeerStats
} {
  const stats: StreamingPeerStats = {
    requests: 0,
    streamRetries: 0,
    sdkRetries: 0,
    failed: 0,
    promptTokens: 0,
    completionTokens: 0,
  }
  const controller = new AbortController()
  const clients = new Map<string, { client: OpenAI; limit: <T>(work: () => Promise<T>) => Promise<T> }>()
  const countingFetch: typeof fetch = (input, init) => {
    const retryCount = new Headers(init?.headers).get('x-stainless-retry-count')
    if (retryCount !== null && retryCount !== '0') stats.sdkRetries++
    return fetch(input, init)
  }
  const target = (name: string) => {
    const config = options.models[name]
    if (!config?.baseURL) throw new DataflowError('DATAFLOW_MODEL_UNKNOWN', `peer: model ${name} has no baseURL`)
    let entry = clients.get(config.baseURL)
    if (!entry) {
      entry = {
        client: new OpenAI({
          baseURL: config.baseURL,
          apiKey: 'EMPTY',
          maxRetries: options.maxRetries,
          timeout: options.timeoutMs,
          fetch: countingFetch,
        }),
        limit: createLimit(options.limits[config.baseURL] ?? config.maxConcurrency ?? 64),
      }
      clients.set(config.baseURL, entry)
    }
    return { config, ...entry }
  }
  const dataUrl = async (ref: ImageRef) =>
    `data:${ref.mime};base64,${Buffer.from(await options.readImage(ref)).toString('base64')}`
  const toWire = async (messages: ChatMessage[]) =>
    Promise.all(
      messages.map(async (message) => {
        if (typeof message.content === 'string') return { role: message.role, content: message.content }
        const parts: WirePart[] = []
        for (const part of message.content) {
          if (part.type === 'text') parts.push({ type: 'text', text: part.text })
          else if (part.type === 'image')
            parts.push({ type: 'image_url', image_url: { url: await dataUrl(part.image) } })
          else throw new DataflowError('DATAFLOW_NODE_FAILED', 'peer: videos are not part of this benchmark')
        }
        return message.role === 'user'
          ? { role: 'user' as const, content: parts }
          : { role: message.role, content: parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n') }
      }),
    )

  async function complete(request: ChatRequest, responseFormat: unknown, signal?: AbortSignal): Promise<ChatResult> {
    const { config, client, limit } = target(request.model)
    const defaults = config.defaults ?? {}
    const body: Record<string, unknown> = Object.assign({}, defaults.extra, request.extra, {
      model: config.model,
      messages: await toWire(request.messages),
    })
    const maxTokens = request.maxTokens ?? defaults.maxTokens
    const temperature = request.temperature ?? defaults.temperature
    const topP = request.topP ?? defaults.topP
    if (maxTokens !== undefined) body['max_tokens'] = maxTokens
    if (temperature !== undefined) body['temperature'] = temperature
    if (topP !== undefined) body['top_p'] = topP
    if (request.stop !== undefined && request.stop.length > 0) body['stop'] = request.stop
    if (request.seed !== undefined) body['seed'] = request.seed
    if (responseFormat !== undefined) body['response_format'] = responseFormat
    body['stream'] = true
    body['stream_options'] = { include_usage: true }
    stats.requests++
    const started = performance.now()
    const signals = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await limit(async () => {
          const stream = (await client.chat.completions.create(
            body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
            { signal: signals },
          )) as AsyncIterable<OpenAI.ChatCompletionChunk>
          let text = ''
          let finishReason = 'unknown'
          let usage = { promptTokens: 0, completionTokens: 0 }
          let servedModel = config.model
          let finished = false
          for await (const chunk of stream) {
            servedModel = chunk.model
            const choice = chunk.choices[0]
            if (choice?.delta.content) text += choice.delta.content
            if (choice?.finish_reason) {
              finishReason = choice.finish_reason
              finished = true
            }
            if (chunk.usage)
              usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens }
          }
          if (!finished) throw new Error('the stream ended before the answer was complete')
          if (responseFormat !== undefined) JSON.parse(text)
          return { text, finishReason, usage, servedModel }
        })
        stats.promptTokens += result.usage.promptTokens
        stats.completionTokens += result.usage.completionTokens
        return Object.assign(result, { latencyMs: performance.now() - started, attempts: attempt, cached: false })
      } catch (error) {
        if (signals.aborted) throw new DataflowError('DATAFLOW_INTERRUPTED', 'peer: cancelled', { cause: error })
        // The SDK already retried what it retries; what reaches here is final, unless it broke mid-stream.
        const midStream = !(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIConnectionError
        if (midStream && attempt <= options.streamRetries) {
          stats.streamRetries++
          continue
        }
        stats.failed++
        throw new DataflowError('DATAFLOW_INFERENCE_FAILED', `peer: ${(error as Error).message}`, { cause: error })
      }
    }
  }

  const report = (): InferenceReport => ({ models: {}, nodes: {}, cost: { byTokens: {}, byGpu: {}, assumptions: [] } })
  return {
    clientFor(binding): InferenceClient {
      return {
        hasModel: (name) => name in options.models,
        chat: (request, callOptions) => complete(request, undefined, callOptions?.signal ?? binding.signal),
        async chatJson<T>(request: JsonChatRequest, callOptions?: { signal?: AbortSignal }) {
          const { schema, schemaName, ...chatRequest } = request
          const format = {
            type: 'json_schema',
            json_schema: { name: schemaName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64), schema, strict: true },
          }
          const result = await complete(chatRequest, format, callOptions?.signal ?? binding.signal)
          return Object.assign(result, { value: JSON.parse(result.text) as T, reasked: false }) as JsonChatResult<T>
        },
      }
    },
    onFatal: () => () => undefined,
    report,
    stats: () => ({ ...stats }),
    async close() {
      controller.abort(new DataflowError('DATAFLOW_INTERRUPTED', 'peer closed'))
    },
  }
}
