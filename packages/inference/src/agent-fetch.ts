import http from 'node:http'
import https from 'node:https'

/** The `fetch` signature the openai package accepts. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** A keep-alive connection the server had already closed when we reused it: retry at once. */
export class StaleConnectionError extends Error {
  override name = 'StaleConnectionError'
  readonly code: string | undefined
  constructor(cause: Error & { code?: string }) {
    super(cause.message, { cause })
    this.code = cause.code
  }
}

export const isStaleConnectionError = (error: unknown): boolean => error instanceof StaleConnectionError

/** A keep-alive agent whose socket pool is never the hidden limit: `maxSockets` >= the ceiling. */
export function createKeepAliveAgent(baseURL: string, maxSockets: number): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' }
  return baseURL.startsWith('https:') ? new https.Agent(options) : new http.Agent(options)
}

/**
 * A Response over a body already read whole. `new Response(bytes)` wraps the bytes in a web
 * ReadableStream that `json()` then reads back chunk by chunk; for a small buffered body that
 * round trip cost more CPU than the rest of the response handling (measured in tools/bench:
 * ~15 µs against ~3 µs per response). This one answers json(), text(), arrayBuffer() and blob()
 * straight from the bytes and builds the stream only if someone reads `body`.
 */
class BufferedResponse extends Response {
  constructor(
    readonly bytes: Buffer,
    init: ResponseInit,
  ) {
    super(null, init)
  }
}

// Response declares these as properties, so TypeScript cannot override them with methods; the
// prototype can.
Object.defineProperties(BufferedResponse.prototype, {
  body: {
    get(this: BufferedResponse & { streamed?: Response }) {
      this.streamed ??= new Response(this.bytes)
      return this.streamed.body
    },
  },
  text: {
    async value(this: BufferedResponse) {
      return this.bytes.toString('utf8')
    },
  },
  json: {
    async value(this: BufferedResponse) {
      return JSON.parse(this.bytes.toString('utf8')) as unknown
    },
  },
  arrayBuffer: {
    async value(this: BufferedResponse) {
      return new Uint8Array(this.bytes).buffer
    },
  },
  blob: {
    async value(this: BufferedResponse) {
      return new Blob([this.bytes], { type: this.headers.get('content-type') ?? '' })
    },
  },
})

function toBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  throw new TypeError('agent fetch sends string or byte bodies only')
}

/** Request headers as node:http takes them; the openai client hands over a Headers object, read as is. */
function toHeaders(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {}
  if (init !== undefined)
    (init instanceof Headers ? init : new Headers(init)).forEach((value, name) => {
      headers[name] = value
    })
  return headers
}

/** Where a URL points, parsed once per distinct URL (an endpoint only ever asks a handful). */
interface Target {
  transport: typeof http | typeof https
  options: { protocol: string; hostname: string; port: string; path: string; auth?: string }
}

const abortError = (signal: AbortSignal) =>
  Object.assign(new Error('This operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  })

/** A `fetch` that {@link AgentFetch.close} can end: in-flight requests fail at once, later ones never start. */
export interface AgentFetch extends Fetch {
  close(reason: Error): void
}

/**
 * A `fetch` over node:http(s) with our own agent, so that we own the socket pool (size,
 * keep-alive, destroy on close). The response body is read whole before the promise resolves
 * (chat completions are small and non-streaming; it skips web-stream conversion, the costliest
 * part of a request here). `init.signal` aborts the request and the body.
 */
export function createAgentFetch(agent: http.Agent): AgentFetch {
  const targets = new Map<string, Target>()
  /** Requests in flight, with the function that fails each. */
  const inFlight = new Map<http.ClientRequest, (error: Error) => void>()
  let closedWith: Error | undefined
  const targetOf = (input: string | URL | Request): Target => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    let target = targets.get(href)
    if (!target) {
      const url = new URL(href)
      target = {
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
      if (targets.size < 64) targets.set(href, target)
    }
    return target
  }
  const fetch = (input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      if (closedWith) {
        reject(closedWith)
        return
      }
      const { signal } = init
      if (signal?.aborted) {
        reject(abortError(signal))
        return
      }
      const { transport, options } = targetOf(input)
      const method = (init.method ?? 'GET').toUpperCase()
      const body = toBody(init.body)
      // Not `{ ...options, method, ... }`: V8 (Node 20) adds keys after a leading spread slowly.
      const request = transport.request(Object.assign({ method, headers: toHeaders(init.headers), agent }, options))
      const settle = () => {
        inFlight.delete(request)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail = (error: Error) => {
        settle()
        reject(error)
      }
      // One listener of our own rather than http.request's `signal` option, which wires the
      // request's whole stream lifecycle to the signal (measurably dearer per request).
      const onAbort = () => {
        const error = abortError(signal!)
        fail(error)
        request.destroy(error)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      inFlight.set(request, fail)
      request.once('response', (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.once('error', fail)
        response.once('close', () => {
          if (!response.complete) fail(new Error('the connection closed before the response was complete'))
        })
        response.once('end', () => {
          settle()
          const headers = new Headers()
          const raw = response.rawHeaders
          for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!)
          const status = response.statusCode ?? 500
          const noBody = status === 204 || status === 304 || method === 'HEAD'
          const init = { status, statusText: response.statusMessage ?? '', headers }
          resolve(noBody ? new Response(null, init) : new BufferedResponse(Buffer.concat(chunks), init))
        })
      })
      request.once('error', (error: Error & { code?: string }) => {
        const stale = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        fail(stale ? new StaleConnectionError(error) : error)
      })
      request.end(body)
    })
  return Object.assign(fetch, {
    close(reason: Error) {
      closedWith ??= reason
      for (const [request, fail] of inFlight) {
        fail(reason)
        request.destroy(reason)
      }
    },
  })
}
