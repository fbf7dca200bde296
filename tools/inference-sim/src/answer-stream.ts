import type { ServerResponse } from 'node:http'
import type { Answer } from './answer.js'
import { toChunk, type ChunkChoice, type ResponseMeta, type Usage } from './chat-response.js'

/** Writes one answer as server-sent events, the way vLLM streams chat completions. */
export interface AnswerStream {
  /** Sends the pieces of every choice decoded up to `tokensDone` tokens. */
  progress(tokensDone: number): void
  /** Sends the rest, the finish reasons, the usage chunk if asked, then `[DONE]`. */
  finish(usage: Usage | undefined): void
  /** Sends a chunk cut in half and ends the stream without `[DONE]` (the malformed fault). */
  finishMalformed(): void
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
}

export function createAnswerStream(response: ServerResponse, meta: ResponseMeta, answer: Answer): AnswerStream {
  const sent = answer.choices.map(() => 0)
  let roleSent = false
  const write = (body: unknown) => response.write(`data: ${JSON.stringify(body)}\n\n`)
  const delta = (content: string): ChunkChoice['delta'] => (roleSent ? { content } : { role: 'assistant', content })

  const emit = (upTo: (choice: number) => number, final: boolean) => {
    const choices: ChunkChoice[] = []
    answer.choices.forEach((choice, index) => {
      const end = final ? choice.pieces.length : Math.min(choice.pieces.length, upTo(index))
      if (end <= sent[index]! && !final && roleSent) return
      const content = choice.pieces.slice(sent[index], end).join('')
      sent[index] = end
      choices.push({ index, delta: delta(content), finish_reason: final ? choice.finishReason : null })
    })
    if (choices.length === 0) return
    // One event per choice, as vLLM sends them.
    for (const choice of choices) write(toChunk(meta, [choice]))
    roleSent = true
  }

  return {
    progress(tokensDone) {
      emit(() => Math.floor(tokensDone), false)
    },
    finish(usage) {
      emit(() => Infinity, true)
      if (usage !== undefined) write(toChunk(meta, [], usage))
      response.end('data: [DONE]\n\n')
    },
    finishMalformed() {
      const text = JSON.stringify(
        toChunk(meta, [
          { index: 0, delta: { content: answer.choices[0]?.pieces.join('') ?? '' }, finish_reason: 'stop' },
        ]),
      )
      response.end(`data: ${text.slice(0, Math.floor(text.length / 2))}\n\n`)
    },
  }
}
