import type { ChatRequest } from './chat-request.js'
import { jsonFromSchema } from './json-from-schema.js'
import { randomFrom, type Random } from './random.js'
import { simulatedPhrase, simulatedTokens } from './simulated-text.js'

/** One simulated choice, cut into pieces of one simulated token each. */
export interface AnswerChoice {
  pieces: string[]
  finishReason: 'stop' | 'length'
}

export interface Answer {
  choices: AnswerChoice[]
  /** Sum over choices: the `completion_tokens` of the usage. */
  completionTokens: number
  /** Decode steps the request needs: the longest choice (choices decode in parallel). */
  decodeSteps: number
}

export interface AnswerSettings {
  seed: number
  meanOutputTokens: number
  enumFirstProb: number
  maxModelLen: number
}

/** JSON text is cut every 4 characters: about one token each. */
const JSON_CHARS_PER_TOKEN = 4

function jsonPieces(value: unknown): string[] {
  const text = JSON.stringify(value)
  const pieces: string[] = []
  for (let i = 0; i < text.length; i += JSON_CHARS_PER_TOKEN) pieces.push(text.slice(i, i + JSON_CHARS_PER_TOKEN))
  return pieces
}

function isEmptySchema(schema: unknown): boolean {
  return schema === true || (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)
}

function fullPieces(request: ChatRequest, random: Random, settings: AnswerSettings): string[] {
  const target = Math.max(1, Math.round(settings.meanOutputTokens * (0.5 + random.next())))
  const format = request.responseFormat
  if (format.type === 'json_object' || (format.type === 'json_schema' && isEmptySchema(format.schema))) {
    return jsonPieces({ text: simulatedPhrase(random, Math.max(1, Math.round(target / 2))) })
  }
  if (format.type === 'json_schema') return jsonPieces(jsonFromSchema(format.schema, random, settings))
  return simulatedTokens(random, target)
}

/**
 * The simulated answer: deterministic in `seed` and the request-content hash (so the same
 * request always gets the same answer, streamed or not), capped by max tokens and the context,
 * with `finish_reason` 'length' when capped. Capped JSON is cut short and so invalid, as with
 * a real model.
 */
export function createAnswer(request: ChatRequest, settings: AnswerSettings): Answer {
  const limit = Math.min(request.maxTokens ?? Infinity, settings.maxModelLen - request.prompt.tokens)
  const choices: AnswerChoice[] = []
  for (let index = 0; index < request.n; index++) {
    const pieces = fullPieces(request, randomFrom(settings.seed, request.contentHash, index), settings)
    choices.push(
      pieces.length > limit
        ? { pieces: pieces.slice(0, limit), finishReason: 'length' }
        : { pieces, finishReason: 'stop' },
    )
  }
  return {
    choices,
    completionTokens: choices.reduce((sum, c) => sum + c.pieces.length, 0),
    decodeSteps: Math.max(...choices.map((c) => c.pieces.length)),
  }
}
