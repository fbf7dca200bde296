import { createHash } from 'node:crypto'
import type { ChatMessage, ChatRequest, ContentPart, JsonChatRequest } from '../inference.js'

/** A request as a recording stores it: what the node asked, with media as content hashes. */
export interface RecordedRequest {
  kind: 'chat' | 'chatJson'
  /** The logical model name (a key of `models:`). */
  model: string
  messages: { role: ChatMessage['role']; content: string | RecordedPart[] }[]
  params: Record<string, unknown>
  /** For chatJson: the answer schema and its name. */
  schemaName?: string
  schema?: unknown
}

export type RecordedPart =
  { type: 'text'; text: string } | { type: 'image'; hash: string } | { type: 'video'; frames: string[] }

/** The request in its recorded form: media by content hash (never paths or bytes), parameters as given. */
export function toRecordedRequest(kind: 'chat' | 'chatJson', request: ChatRequest | JsonChatRequest): RecordedRequest {
  const { model, messages, schema, schemaName, ...params } = request as JsonChatRequest
  return {
    kind,
    model,
    messages: messages.map((message) => ({
      role: message.role,
      content: typeof message.content === 'string' ? message.content : message.content.map(toRecordedPart),
    })),
    params: params,
    ...(kind === 'chatJson' ? { schemaName, schema } : {}),
  }
}

function toRecordedPart(part: ContentPart): RecordedPart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  if (part.type === 'image') return { type: 'image', hash: part.image.hash }
  return { type: 'video', frames: part.video.frames.map((frame) => frame.hash) }
}

/** sha256 over the canonical JSON of a recorded request: equal requests, equal keys, whatever the key order. */
export function requestKey(request: RecordedRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex')
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key]
    return sorted
  })
}

/** One line for messages: the request's first text, shortened, to name it in errors. */
export function describeRequest(request: RecordedRequest): string {
  for (const message of request.messages) {
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ')
    if (text.trim() !== '') {
      const line = text.trim().replace(/\s+/g, ' ')
      return `${request.kind} to model "${request.model}": "${line.length > 80 ? `${line.slice(0, 77)}...` : line}"`
    }
  }
  return `${request.kind} to model "${request.model}"`
}
