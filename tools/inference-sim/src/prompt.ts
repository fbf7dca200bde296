import { sha1Hex } from './hash.js'
import { badRequest } from './http-error.js'
import { readMediaPart, type MediaPart, type MediaTokenSettings } from './media-part.js'
import type { PromptBlock } from './prefix-cache.js'

/** Chat-template tokens around each message (role markers), and the generation prompt at the end. */
const MESSAGE_OVERHEAD_TOKENS = 4
const GENERATION_PROMPT_TOKENS = 3
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool'])

/** The prompt as the timing model sees it. */
export interface Prompt {
  /** Hash-chained blocks, one per message content part, in order, then the generation prompt. */
  blocks: PromptBlock[]
  tokens: number
  images: number
}

/** Text tokens: about 4 characters per token, at least 1 for non-empty text. */
export function countTextTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

type PartKey = { key: string; tokens: number; media?: MediaPart }

function readPart(part: unknown, settings: MediaTokenSettings, param: string): PartKey {
  if (typeof part !== 'object' || part === null) throw badRequest(`${param} must be an object with a "type".`, param)
  const { type } = part as { type?: unknown }
  const record = part as Record<string, unknown>
  if (type === 'text' || type === 'refusal') {
    const text = record[type]
    if (typeof text !== 'string') throw badRequest(`${param}.${type} must be a string.`, param)
    return { key: `text:${text}`, tokens: countTextTokens(text) }
  }
  if (type === 'image_url' || type === 'video_url') {
    const field = record[type]
    const url = typeof field === 'string' ? field : (field as { url?: unknown } | null)?.url
    if (typeof url !== 'string') throw badRequest(`${param}.${type}.url must be a string.`, param)
    const media = readMediaPart(type === 'image_url' ? 'image' : 'video', url, settings, `${param}.${type}`)
    return { key: media.key, tokens: media.tokens, media }
  }
  throw badRequest(
    `${param}: content part type ${JSON.stringify(type)} is not supported (use text, image_url or video_url).`,
    param,
  )
}

function readContent(content: unknown, settings: MediaTokenSettings, param: string): PartKey[] {
  if (content === null || content === undefined) return []
  if (typeof content === 'string') return [{ key: `text:${content}`, tokens: countTextTokens(content) }]
  if (!Array.isArray(content)) throw badRequest(`${param} must be a string, an array of content parts or null.`, param)
  return content.map((part, i) => readPart(part, settings, `${param}[${i}]`))
}

/**
 * Reads and checks `messages` and builds the prefix-cache blocks. Block i's hash covers the model
 * and blocks 0..i; an image block is keyed by the hash of its bytes, so the same image first in
 * several prompts gives the same leading block.
 */
export function readPrompt(model: string, messages: unknown, settings: MediaTokenSettings): Prompt {
  if (!Array.isArray(messages) || messages.length === 0)
    throw badRequest('messages must be a non-empty array.', 'messages')
  const blocks: PromptBlock[] = []
  let previous = sha1Hex(`model:${model}`)
  let images = 0
  const push = (key: string, tokens: number) => {
    previous = sha1Hex(`${previous}|${key}`)
    blocks.push({ hash: previous, tokens })
  }
  messages.forEach((message: unknown, i) => {
    const param = `messages[${i}]`
    if (typeof message !== 'object' || message === null) throw badRequest(`${param} must be an object.`, param)
    const { role, content } = message as { role?: unknown; content?: unknown }
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw badRequest(`${param}.role must be one of ${[...ROLES].join(', ')}.`, `${param}.role`)
    }
    const parts = readContent(content, settings, `${param}.content`)
    if (parts.length === 0) parts.push({ key: 'empty', tokens: 0 })
    parts.forEach((part, j) => {
      if (part.media?.kind === 'image') images++
      const header = j === 0 ? `role:${role}|` : ''
      push(`${header}${part.key}`, part.tokens + (j === 0 ? MESSAGE_OVERHEAD_TOKENS : 0))
    })
  })
  push('generation-prompt', GENERATION_PROMPT_TOKENS)
  return { blocks, tokens: blocks.reduce((sum, b) => sum + b.tokens, 0), images }
}
