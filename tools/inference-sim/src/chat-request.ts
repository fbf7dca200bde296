import type { JsonSchema } from '@dataflow/sdk'
import { requestContentHash } from './hash.js'
import { badRequest, HttpError } from './http-error.js'
import type { MediaTokenSettings } from './media-part.js'
import { readPrompt, type Prompt } from './prompt.js'

export type ResponseFormat =
  { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; schema: JsonSchema | boolean }

/** A checked chat-completions request. */
export interface ChatRequest {
  model: string
  prompt: Prompt
  stream: boolean
  includeUsage: boolean
  /** `max_completion_tokens` or `max_tokens`, if given. */
  maxTokens: number | undefined
  n: number
  responseFormat: ResponseFormat
  /** See `requestContentHash`. */
  contentHash: string
}

export interface ChatRequestSettings extends MediaTokenSettings {
  maxModelLen: number
  /** Returns the served model name or throws a 404 HttpError. */
  resolveModel(name: string | undefined): string
}

function optional<T>(
  body: Record<string, unknown>,
  key: string,
  check: (v: unknown) => v is T,
  expected: string,
): T | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (!check(value)) throw badRequest(`${key} must be ${expected}.`, key)
  return value
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean'
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1
const isInteger = (v: unknown): v is number => Number.isInteger(v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isStop = (v: unknown): v is string | string[] =>
  typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))

function readResponseFormat(body: Record<string, unknown>): ResponseFormat {
  const format = optional(body, 'response_format', isObject, 'an object')
  if (format === undefined || format.type === 'text') return { type: 'text' }
  if (format.type === 'json_object') return { type: 'json_object' }
  if (format.type === 'json_schema') {
    const spec = format.json_schema
    if (!isObject(spec))
      throw badRequest('response_format.json_schema must be an object with a "schema".', 'response_format')
    const schema = spec.schema ?? {}
    if (!isObject(schema) && typeof schema !== 'boolean')
      throw badRequest('response_format.json_schema.schema must be a JSON Schema object.', 'response_format')
    return { type: 'json_schema', schema: schema }
  }
  throw badRequest(
    `response_format.type ${JSON.stringify(format.type)} is not supported (text, json_object, json_schema).`,
    'response_format',
  )
}

/**
 * Checks a parsed request body in vLLM's order: shape and parameters (400), then the model (404),
 * then the prompt (400 for unreadable images or a prompt longer than the context).
 */
export function readChatRequest(body: unknown, settings: ChatRequestSettings): ChatRequest {
  if (!isObject(body)) throw badRequest('The request body must be a JSON object.')
  const modelName = optional(body, 'model', (v): v is string => typeof v === 'string', 'a string')
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw badRequest('messages must be a non-empty array.', 'messages')
  const stream = optional(body, 'stream', isBoolean, 'a boolean') ?? false
  const streamOptions = optional(body, 'stream_options', isObject, 'an object')
  if (streamOptions !== undefined && !stream)
    throw badRequest('Stream options can only be defined when `stream=True`.', 'stream_options')
  const includeUsage = streamOptions?.include_usage === true
  const maxTokens =
    optional(body, 'max_completion_tokens', isPositiveInteger, 'an integer >= 1') ??
    optional(body, 'max_tokens', isPositiveInteger, 'an integer >= 1')
  const n = optional(body, 'n', isPositiveInteger, 'an integer >= 1') ?? 1
  for (const key of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty'])
    optional(body, key, isNumber, 'a number')
  optional(body, 'seed', isInteger, 'an integer')
  optional(body, 'stop', isStop, 'a string or an array of strings')
  const responseFormat = readResponseFormat(body)

  const model = settings.resolveModel(modelName)
  const prompt = readPrompt(model, body.messages, settings)
  // At least one token must fit after the prompt, as in vLLM.
  const requested = prompt.tokens + (maxTokens ?? 1)
  if (requested > settings.maxModelLen) {
    throw new HttpError(
      400,
      `This model's maximum context length is ${settings.maxModelLen} tokens. However, you requested ${requested} tokens (${prompt.tokens} in the messages, ${maxTokens ?? 1} in the completion). Please reduce the length of the messages or completion.`,
      { param: 'messages' },
    )
  }
  return { model, prompt, stream, includeUsage, maxTokens, n, responseFormat, contentHash: requestContentHash(body) }
}
