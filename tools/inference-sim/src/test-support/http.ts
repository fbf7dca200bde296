import { validateChunk, validateResponse, assertValid } from './contract.js'

export interface HttpResult {
  status: number
  headers: Headers
  text: string
}

/** POSTs JSON with fetch and reads the whole answer as text. */
export async function postJson(url: string, body: unknown, init: { signal?: AbortSignal } = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** Splits an SSE body into its `data:` payloads (the `[DONE]` marker included as a string). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length))
}

export interface ChatCompletion {
  id: string
  model: string
  choices: { index: number; message: { role: string; content: string }; finish_reason: string }[]
  usage: {
    prompt_tokens: number
    completion_tokens: number
    total_tokens: number
    prompt_tokens_details: { cached_tokens: number }
  }
}

export interface ChatChunk {
  choices: { index: number; delta: { role?: string; content?: string }; finish_reason: string | null }[]
  usage?: ChatCompletion['usage']
}

/** A non-streamed completion, checked against the OpenAI response schema. */
export async function chat(baseUrl: string, body: Record<string, unknown>): Promise<ChatCompletion> {
  const result = await postJson(`${baseUrl}/chat/completions`, body)
  if (result.status !== 200) throw new Error(`HTTP ${result.status}: ${result.text}`)
  const parsed = JSON.parse(result.text) as unknown
  assertValid(validateResponse, parsed, 'chat completion')
  return parsed as ChatCompletion
}

/** A streamed completion: every chunk checked against the OpenAI chunk schema; ends with [DONE]. */
export async function chatStream(
  baseUrl: string,
  body: Record<string, unknown>,
): Promise<{ chunks: ChatChunk[]; headers: Headers }> {
  const result = await postJson(`${baseUrl}/chat/completions`, { ...body, stream: true })
  if (result.status !== 200) throw new Error(`HTTP ${result.status}: ${result.text}`)
  const data = sseData(result.text)
  if (data.at(-1) !== '[DONE]') throw new Error(`stream did not end with [DONE]: ${result.text.slice(-200)}`)
  const chunks = data.slice(0, -1).map((payload) => JSON.parse(payload) as unknown)
  chunks.forEach((chunk, i) => assertValid(validateChunk, chunk, `chunk ${i}`))
  return { chunks: chunks as ChatChunk[], headers: result.headers }
}

/** The text of each choice, joined over a stream's chunks. */
export function streamedText(chunks: readonly ChatChunk[]): string[] {
  const texts: string[] = []
  for (const chunk of chunks)
    for (const choice of chunk.choices) texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '')
  return texts
}

export function user(content: unknown): { role: 'user'; content: unknown } {
  return { role: 'user', content }
}
