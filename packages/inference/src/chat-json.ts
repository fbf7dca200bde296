import {
  DataflowError,
  type CallOptions,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type JsonChatRequest,
  type JsonChatResult,
  type JsonSchema,
} from '@dataflow/sdk'
import { extractJson } from './extract-json.js'
import type { ResolvedModelConfig } from './resolve-model-config.js'
import type { SchemaValidators } from './schema-validators.js'

/** A completed request whose answer is written to the request cache only on `commit()`. */
export interface PendingAnswer {
  result: ChatResult
  /** Writes the answer to the request cache; undefined when there is nothing to write. */
  commit(): Promise<void> | undefined
}

export interface ChatJsonContext {
  complete(request: ChatRequest, responseFormat: unknown, options: CallOptions | undefined): Promise<PendingAnswer>
  validators: SchemaValidators
  onReask(): void
  onInvalid(): void
}

/** `response_format` names must match ^[a-zA-Z0-9_-]{1,64}$. */
const formatName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'answer'

function responseFormatFor(mode: ResolvedModelConfig['responseFormat'], request: JsonChatRequest): unknown {
  if (mode === 'json_schema')
    return {
      type: 'json_schema',
      json_schema: { name: formatName(request.schemaName), schema: request.schema, strict: true },
    }
  if (mode === 'json_object') return { type: 'json_object' }
  return undefined
}

/** Appends text to the last user message (after any media, so the shared prompt prefix stays intact). */
function appendToLastUser(messages: ChatMessage[], text: string): ChatMessage[] {
  const last = messages.at(-1)
  if (last?.role !== 'user') return [...messages, { role: 'user', content: text }]
  const content =
    typeof last.content === 'string' ? `${last.content}\n\n${text}` : [...last.content, { type: 'text' as const, text }]
  return [...messages.slice(0, -1), { role: 'user', content }]
}

const schemaInstruction = (schema: JsonSchema) =>
  `Answer with one JSON value and nothing else (no prose, no code fences). It must match this JSON Schema:\n${JSON.stringify(schema)}`

function check(
  validators: SchemaValidators,
  schema: JsonSchema,
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  const extracted = extractJson(text)
  if (!extracted.ok) return extracted
  const error = validators.check(schema, extracted.value)
  return error === undefined ? extracted : { ok: false, error: `it does not match the schema: ${error}` }
}

// Object.assign rather than `{ ...x, key }`: V8 (Node 20) adds keys after a leading spread on a
// slow path (~0.7 µs per key).
const combine = (first: ChatResult, second: ChatResult): ChatResult =>
  Object.assign({}, second, {
    usage: {
      promptTokens: first.usage.promptTokens + second.usage.promptTokens,
      completionTokens: first.usage.completionTokens + second.usage.completionTokens,
    },
    latencyMs: first.latencyMs + second.latencyMs,
    attempts: first.attempts + second.attempts,
    cached: first.cached && second.cached,
  })

/**
 * Structured output: response_format as the model supports it, the answer extracted tolerantly
 * and validated with ajv on our side; one re-ask quoting the problem; then DATAFLOW_OUTPUT_INVALID.
 */
export async function chatJson<T>(
  context: ChatJsonContext,
  mode: ResolvedModelConfig['responseFormat'],
  request: JsonChatRequest,
  options: CallOptions | undefined,
): Promise<JsonChatResult<T>> {
  const { schema, schemaName, ...chatRequest } = request
  const responseFormat = responseFormatFor(mode, request)
  const messages =
    mode === 'json_schema' ? chatRequest.messages : appendToLastUser(chatRequest.messages, schemaInstruction(schema))
  const first = await context.complete(Object.assign({}, chatRequest, { messages }), responseFormat, options)
  const firstCheck = check(context.validators, schema, first.result.text)
  if (firstCheck.ok) {
    await first.commit()
    return Object.assign({}, first.result, { value: firstCheck.value as T, reasked: false })
  }
  context.onReask()
  const reaskMessages: ChatMessage[] = [
    ...messages,
    { role: 'assistant', content: first.result.text },
    {
      role: 'user',
      content: `That answer cannot be used: ${firstCheck.error}. Answer again with only the corrected JSON value${mode === 'json_schema' ? '' : ', matching the JSON Schema given above'}.`,
    },
  ]
  const second = await context.complete(
    Object.assign({}, chatRequest, { messages: reaskMessages }),
    responseFormat,
    options,
  )
  const secondCheck = check(context.validators, schema, second.result.text)
  if (secondCheck.ok) {
    await second.commit()
    return Object.assign(combine(first.result, second.result), { value: secondCheck.value as T, reasked: true })
  }
  context.onInvalid()
  throw new DataflowError(
    'DATAFLOW_OUTPUT_INVALID',
    `model ${request.model} gave no valid ${schemaName} after one re-ask: ${secondCheck.error}`,
    {
      hint:
        second.result.finishReason === 'length'
          ? 'The answer was cut off: raise maxTokens.'
          : 'Make the prompt describe the expected JSON, or use a model/server that supports responseFormat json_schema.',
      details: {
        raw: second.result.text,
        validationError: secondCheck.error,
        firstRaw: first.result.text,
        firstValidationError: firstCheck.error,
        schemaName,
        model: request.model,
        finishReason: second.result.finishReason,
      },
    },
  )
}
