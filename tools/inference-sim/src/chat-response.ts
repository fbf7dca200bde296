import type { Answer } from './answer.js'

/** Fields shared by a completion and all chunks of its stream. */
export interface ResponseMeta {
  id: string
  created: number
  model: string
}

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
}

export function toUsage(promptTokens: number, cachedTokens: number, completionTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  }
}

/**
 * Every response says it comes from the simulator, so that clients can tell (the dataflow
 * inference layer never caches such answers: they must not reach a real run).
 */
export const SIMULATOR_FINGERPRINT = 'dataflow-sim'

/** A `chat.completion` body. */
export function toCompletion(meta: ResponseMeta, answer: Answer, usage: Usage): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SIMULATOR_FINGERPRINT,
    choices: answer.choices.map((choice, index) => ({
      index,
      message: { role: 'assistant', content: choice.pieces.join(''), refusal: null, tool_calls: [] },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage,
  }
}

export interface ChunkChoice {
  index: number
  delta: { role?: 'assistant'; content?: string }
  finish_reason: 'stop' | 'length' | null
}

/** A `chat.completion.chunk` body; the usage chunk has no choices. */
export function toChunk(meta: ResponseMeta, choices: ChunkChoice[], usage?: Usage): Record<string, unknown> {
  return {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SIMULATOR_FINGERPRINT,
    choices: choices.map((c) => ({ index: c.index, delta: c.delta, logprobs: null, finish_reason: c.finish_reason })),
    ...(usage === undefined ? {} : { usage }),
  }
}
