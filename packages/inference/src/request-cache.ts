import { createHash } from 'node:crypto'
import type { TokenUsage } from '@dataflow/sdk'

/** A model answer as stored in the request cache. */
export interface CachedAnswer {
  text: string
  finishReason: string
  usage: TokenUsage
  servedModel: string
}

/**
 * A content-addressed store of model answers, keyed by {@link requestCacheKey}. The run's
 * SQLite cache implements it; errors it throws are logged and treated as a miss.
 */
export interface RequestCache {
  get(key: string): Promise<CachedAnswer | undefined>
  set(key: string, answer: CachedAnswer): Promise<void>
}

/** What identifies a request for the cache. */
export interface RequestCacheKeyInput {
  /** The served model name (not the logical one: renaming a `models:` key keeps the cache). */
  model: string
  /** The messages as sent, with every image or video as its content hash, never base64. */
  messages: unknown
  /** Generation parameters as sent (temperature, max_tokens, extra body fields, ...). */
  params: Record<string, unknown>
  /** The `response_format` sent (carries the JSON Schema), if any. */
  responseFormat?: unknown
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key]
    return sorted
  })
}

/** sha256 (hex) over the canonical JSON of the request's content: the request cache key. */
export function requestCacheKey(input: RequestCacheKeyInput): string {
  const identity = {
    v: 1,
    model: input.model,
    messages: input.messages,
    params: input.params,
    responseFormat: input.responseFormat ?? null,
  }
  return createHash('sha256').update(canonicalJson(identity)).digest('hex')
}
