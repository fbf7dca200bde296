import http from 'node:http'
import https from 'node:https'
import {
  cancelledFailure,
  connectionFailure,
  malformedFailure,
  statusFailure,
  timeoutFailure,
  type Failure,
} from './attempt-failure.js'
import { toAnswer, type Answer } from './read-completion.js'

/** One attempt's outcome: the answer, or the failure in the SDK's error vocabulary. */
export type AttemptResult = { ok: true; answer: Answer } | { ok: false; failure: Failure }

export interface AttemptOptions {
  /** The caller's signal: aborts the attempt at once. */
  signal: AbortSignal | undefined
  timeoutMs: number
  /** Times the attempt out when it aborts (an adaptive timeout set after the attempt was sent). */
  expire?: AbortSignal | undefined
}

/** A plain GET answer (the metrics poller's). */
export interface TextAnswer {
  status: number
  text: string
}

/**
 * The wire to one OpenAI-compatible server: chat completions as POST + JSON over node:http with
 * our own keep-alive agent (we own the socket pool: its size is never the hidden limit, and
 * close() destroys it), and GET for /metrics. Never throws for request failures: they come back
 * as {@link Failure}s.
 */
export interface HttpWire {
  chat(apiKey: string, body: unknown, options: AttemptOptions): Promise<AttemptResult>
  get(url: string, signal: AbortSignal): Promise<TextAnswer>
  /** Fails the requests in flight with `reason`, refuses later ones, destroys the sockets. */
  close(reason: Error): void
}

/** A keep-alive agent whose socket pool is never the hidden limit: `maxSockets` >= the ceiling. */
export function createKeepAliveAgent(baseURL: string, maxSockets: number): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' }
  return baseURL.startsWith('https:') ? new https.Agent(options) : new http.Agent(options)
}

interface Target {
  transport: typeof http | typeof https
  options: { protocol: string; hostname: string; port: string; path: string; auth?: string }
}

function targetOf(href: string): Target {
  const url = new URL(href)
  return {
    transport: url.protocol === 'https:' ? https : http,
    options: {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: url.pathname + url.search,
      ...(url.username || url.password
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {}),
    },
  }
}

/** Response headers as the Retry-After parser reads them. */
const headerReader = (response: http.IncomingMessage) => ({
  get: (name: string) => {
    const value = response.headers[name]
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
  },
})

export function createHttpWire(baseURL: string, agent: http.Agent): HttpWire {
  const chatTarget = targetOf(`${baseURL}/chat/completions`)
  /** Requests in flight, with the function that ends each. */
  const inFlight = new Map<http.ClientRequest, (reason: Error) => void>()
  let closedWith: Error | undefined

  const chat = (apiKey: string, body: unknown, options: AttemptOptions) =>
    new Promise<AttemptResult>((resolve) => {
      const { signal } = options
      if (closedWith || signal?.aborted) {
        resolve({ ok: false, failure: cancelledFailure() })
        return
      }
      const payload = JSON.stringify(body)
      // Not `{ ...options, ... }`: V8 (Node 20) adds keys after a leading spread slowly.
      const request = chatTarget.transport.request(
        Object.assign(
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              'content-length': Buffer.byteLength(payload),
              authorization: `Bearer ${apiKey}`,
            },
          },
          chatTarget.options,
        ),
      )
      let settled = false
      const finish = (result: AttemptResult) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        inFlight.delete(request)
        signal?.removeEventListener('abort', onAbort)
        options.expire?.removeEventListener('abort', onExpire)
        resolve(result)
      }
      const fail = (failure: Failure) => finish({ ok: false, failure })
      const end = (failure: Failure, error: Error) => {
        fail(failure)
        request.destroy(error)
      }
      const onAbort = () => end(cancelledFailure(), new Error('cancelled'))
      const onExpire = () => end(timeoutFailure(options.timeoutMs), new Error('timeout'))
      const timer = setTimeout(onExpire, options.timeoutMs)
      signal?.addEventListener('abort', onAbort, { once: true })
      options.expire?.addEventListener('abort', onExpire, { once: true })
      inFlight.set(request, (reason) => end(cancelledFailure(), reason))
      request.once('response', (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.once('error', (error) => fail(connectionFailure(error, false)))
        response.once('close', () => {
          if (!response.complete) fail(malformedFailure('the connection closed before the response was complete'))
        })
        response.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const status = response.statusCode ?? 500
          if (status < 200 || status >= 300) {
            fail(statusFailure(status, headerReader(response), text))
            return
          }
          let completion: unknown
          try {
            completion = JSON.parse(text)
          } catch (error) {
            fail(malformedFailure(`the server sent malformed JSON: ${(error as Error).message}`))
            return
          }
          const answer = toAnswer(completion, (body as { model: string }).model)
          if (typeof answer === 'string') fail(malformedFailure(answer))
          else finish({ ok: true, answer })
        })
      })
      request.once('error', (error: Error & { code?: string }) => {
        const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        fail(connectionFailure(error, stale))
      })
      request.end(payload)
    })

  const get = (url: string, signal: AbortSignal) =>
    new Promise<TextAnswer>((resolve, reject) => {
      if (closedWith) {
        reject(closedWith)
        return
      }
      const { transport, options } = targetOf(url)
      const request = transport.request(Object.assign({ method: 'GET', agent, signal }, options))
      request.once('response', (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 500, text: Buffer.concat(chunks).toString('utf8') }),
        )
        response.once('error', reject)
      })
      request.once('error', reject)
      request.end()
    })

  return {
    chat,
    get,
    close(reason) {
      closedWith ??= reason
      for (const end of inFlight.values()) end(reason)
      agent.destroy()
    },
  }
}
