import type { IncomingMessage, ServerResponse } from 'node:http'
import { createAnswer } from './answer.js'
import { createAnswerStream, SSE_HEADERS, type AnswerStream } from './answer-stream.js'
import { readChatRequest, type ChatRequest } from './chat-request.js'
import { toCompletion, toUsage, type ResponseMeta } from './chat-response.js'
import { drawFaults } from './fault-draw.js'
import { HttpError } from './http-error.js'
import { parseJson, readBody } from './read-body.js'
import { DEFAULT_MODEL, type SimulatorState } from './simulator-state.js'

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

export function sendError(state: SimulatorState, response: ServerResponse, error: HttpError): void {
  state.stats.status(error.status)
  sendJson(response, error.status, error.toBody(), error.headers)
}

function resolveModel(state: SimulatorState, name: string | undefined): string {
  const served = state.options.models
  if (served.length === 0) {
    const model = name ?? DEFAULT_MODEL
    state.seenModels.add(model)
    return model
  }
  if (name === undefined) return served[0]!
  if (!served.includes(name)) throw new HttpError(404, `The model \`${name}\` does not exist.`, { param: 'model' })
  return name
}

async function readRequest(state: SimulatorState, request: IncomingMessage): Promise<ChatRequest> {
  const body = parseJson(await readBody(request))
  return readChatRequest(body, { ...state.options, resolveModel: (name) => resolveModel(state, name) })
}

/** Answers the faults decided at arrival; returns true when the request was handled by one. */
function answerFault(
  state: SimulatorState,
  response: ServerResponse,
  outcome: ReturnType<typeof drawFaults>['outcome'],
): boolean {
  const { faults, timeScale } = state.options
  const { scheduler, stats } = state
  if (
    faults.maxWaiting !== null &&
    scheduler.running >= state.options.maxSeqs &&
    scheduler.waiting >= faults.maxWaiting
  ) {
    stats.fault('overloaded')
    sendError(
      state,
      response,
      new HttpError(
        503,
        `The server is overloaded: ${scheduler.waiting} requests are waiting (limit ${faults.maxWaiting}). Retry later.`,
      ),
    )
    return true
  }
  if (outcome === 'rateLimited') {
    stats.fault('rateLimited')
    const seconds = faults.retryAfterSeconds * timeScale
    sendError(
      state,
      response,
      new HttpError(429, 'Rate limit reached (simulated fault). Retry after the Retry-After delay.', {
        headers: { 'retry-after': String(Math.round(seconds)), 'retry-after-ms': String(Math.round(seconds * 1000)) },
      }),
    )
    return true
  }
  if (outcome === 'serverError') {
    stats.fault('serverError')
    sendError(state, response, new HttpError(500, 'Internal server error (simulated fault).'))
    return true
  }
  if (outcome === 'hung') {
    // Never answered; the socket is released when the client gives up or the simulator closes.
    stats.fault('hung')
    response.once('close', () => stats.aborted())
    return true
  }
  return false
}

/** `POST /v1/chat/completions`: check, draw faults, queue in the batch, answer (JSON or SSE). */
export async function handleChat(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { stats, options } = state
  stats.requestStarted()
  response.once('close', () => stats.requestEnded())
  let chat: ChatRequest
  try {
    chat = await readRequest(state, request)
  } catch (error) {
    if (error instanceof HttpError) sendError(state, response, error)
    else response.destroy()
    return
  }
  if (response.destroyed) return
  const arrival = state.nextArrival()
  stats.arrived()
  const fault = drawFaults(options.seed, arrival, options.faults)
  if (answerFault(state, response, fault.outcome)) return
  if (fault.slow) stats.fault('slow')

  const answer = createAnswer(chat, options)
  const meta: ResponseMeta = {
    id: `chatcmpl-sim-${arrival}-${chat.contentHash.slice(0, 8)}`,
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
  }
  const { blocks, tokens } = chat.prompt
  let cachedTokens = 0
  let finished = false
  let stream: AnswerStream | undefined
  let stopTicking: (() => void) | undefined
  if (chat.stream) {
    stats.status(200)
    response.writeHead(200, SSE_HEADERS)
    stream = createAnswerStream(response, meta, answer)
  }

  const job = state.scheduler.submit({
    model: chat.model,
    decodeSteps: answer.decodeSteps,
    slowFactor: fault.slow ? options.faults.slowFactor : 1,
    start() {
      // Prefill always computes at least the last prompt token, as in vLLM.
      cachedTokens = Math.min(state.prefixCache.match(blocks), tokens - 1)
      state.prefixCache.insert(blocks)
      stats.prompt(chat.model, tokens, cachedTokens)
      if (stream !== undefined) stopTicking = state.ticker.add(() => stream.progress(job.tokensDone()))
      return ((tokens - cachedTokens) / 1000) * options.prefillMsPer1kTokens
    },
    finish() {
      finished = true
      stopTicking?.()
      stats.generated(chat.model, answer.completionTokens)
      const malformed = fault.outcome === 'malformed'
      if (malformed) stats.fault('malformed')
      else response.once('finish', () => stats.completed(chat.contentHash))
      const usage = toUsage(tokens, cachedTokens, answer.completionTokens)
      if (stream !== undefined) {
        if (malformed) stream.finishMalformed()
        else stream.finish(chat.includeUsage ? usage : undefined)
        return
      }
      stats.status(200)
      if (!malformed) {
        sendJson(response, 200, toCompletion(meta, answer, usage))
        return
      }
      const text = JSON.stringify(toCompletion(meta, answer, usage))
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(text.slice(0, Math.floor(text.length / 2)))
    },
  })
  response.once('close', () => {
    if (finished) return
    stopTicking?.()
    job.cancel()
    stats.aborted()
  })
}
