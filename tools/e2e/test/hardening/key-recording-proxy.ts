import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface KeyRecordingProxy {
  /** Base URL ending in /v1. */
  url: string
  /** The Authorization header of every chat request, in arrival order. */
  authorizations: string[]
  close(): Promise<void>
}

/**
 * A pass-through proxy in front of an OpenAI-compatible server that records the Authorization
 * headers and answers every `rejectEvery`-th chat request itself with a 401 whose message quotes
 * the key it got, as some API gateways do: the worst case for keeping keys out of logs and records.
 */
export async function startKeyRecordingProxy(target: string, rejectEvery = 0): Promise<KeyRecordingProxy> {
  const origin = new URL(target).origin
  const authorizations: string[] = []
  const sockets = new Set<Socket>()
  let chats = 0
  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization ?? ''
    const isChat = req.method === 'POST' && (req.url ?? '').endsWith('/chat/completions')
    if (isChat) {
      authorizations.push(authorization)
      chats++
      if (rejectEvery > 0 && chats % rejectEvery === 0) {
        req.resume()
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${authorization.replace(/^Bearer /, '')}`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          }),
        )
        return
      }
    }
    const upstream = http.request(
      `${origin}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    // A client that gives up (timeout) closes its side: drop the upstream request too.
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    authorizations,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
