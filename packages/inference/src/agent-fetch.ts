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
  constructor(readonly bytes: Buffer, init: ResponseInit) {
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
  text: { async value(this: BufferedResponse) { return this.bytes.toString('utf8') } },
  json: { async value(this: BufferedResponse) { return JSON.parse(this.bytes.toString('utf8')) as unknown } },
  arrayBuffer: { async value(this: BufferedResponse) { return new Uint8Array(this.bytes).buffer } },
  blob: { async value(this: BufferedResponse) { return new Blob([this.bytes], { type: this.headers.get('content-type') ?? '' }) } },
})

function toBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  throw new TypeError('agent fetch sends string or byte bodies only')
}

/**
 * A `fetch` over node:http(s) with our own agent, so that we own the socket pool (size,
 * keep-alive, destroy on close). The response body is read whole before the promise resolves
 * (chat completions are small and non-streaming; it skips web-stream conversion, the costliest
 * part of a request here). `init.signal` aborts the request and the body.
 */
export function createAgentFetch(agent: http.Agent): Fetch {
  return (input, init = {}) => new Promise<Response>((resolve, reject) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, name) => { headers[name] = value })
    const body = toBody(init.body)
    const transport = url.protocol === 'https:' ? https : http
    const request = transport.request(url, { method, headers, agent, ...(init.signal ? { signal: init.signal } : {}) })
    request.once('response', (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.once('error', reject)
      response.once('close', () => {
        if (!response.complete) reject(new Error('the connection closed before the response was complete'))
      })
      response.once('end', () => {
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
      reject(stale ? new StaleConnectionError(error) : error)
    })
    request.end(body)
  })
}
