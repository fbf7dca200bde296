import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { checkChatRequest } from './openai-contract.js'

/** What the test server does with one chat request. */
export type Reply =
  | {
      kind: 'ok'
      text?: string
      delayMs?: number
      promptTokens?: number
      completionTokens?: number
      after?: Promise<unknown>
    }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'not-a-completion' }
  /** Drop the connection without answering. */
  | { kind: 'reset' }

export interface CapturedRequest {
  path: string
  headers: http.IncomingHttpHeaders
  body: Record<string, unknown>
  /** performance.now() when the body was read. */
  receivedAt: number
}

export interface FaultServer {
  /** Base URL ending in /v1. */
  url: string
  requests: CapturedRequest[]
  /**
   * Every body is validated against the official CreateChatCompletionRequest schema; the
   * violations land here (`video_url` parts, a vLLM extension, are checked as image parts).
   */
  contractViolations: string[]
  readonly inFlight: number
  readonly peakInFlight: number
  /** Gauges served at /metrics (vLLM names). */
  metrics: { running: number; waiting: number } | undefined
  metricsPolls: number
  connections(): Promise<number>
  close(): Promise<void>
}

const violationsOfAllServers: string[] = []

/** Contract violations of every fault server since the last call (tests assert it stays empty). */
export function takeContractViolations(): string[] {
  return violationsOfAllServers.splice(0)
}

/**
 * A tiny OpenAI-compatible server for precise fault scripts: `script` decides the reply to each
 * chat request (0-based index in arrival order).
 */
export async function startFaultServer(
  script: (request: CapturedRequest, index: number) => Reply,
): Promise<FaultServer> {
  const requests: CapturedRequest[] = []
  const contractViolations: string[] = []
  const sockets = new Set<Socket>()
  let inFlight = 0
  let peakInFlight = 0
  const state = { metrics: undefined as FaultServer['metrics'], metricsPolls: 0 }
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      state.metricsPolls++
      if (!state.metrics) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end(
        [
          '# HELP vllm:num_requests_running Number of requests in model execution batches.',
          '# TYPE vllm:num_requests_running gauge',
          `vllm:num_requests_running{model_name="m"} ${state.metrics.running}`,
          '# TYPE vllm:num_requests_waiting gauge',
          `vllm:num_requests_waiting{model_name="m"} ${state.metrics.waiting}`,
          '',
        ].join('\n'),
      )
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const captured: CapturedRequest = {
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        receivedAt: performance.now(),
      }
      const index = requests.push(captured) - 1
      const violation = checkChatRequest(withVideoAsImage(captured.body))
      if (violation !== undefined) {
        contractViolations.push(`request ${index}: ${violation}`)
        violationsOfAllServers.push(`${captured.path} request ${index}: ${violation}`)
      }
      inFlight++
      peakInFlight = Math.max(peakInFlight, inFlight)
      let done = false
      const finish = () => {
        if (!done) inFlight--
        done = true
      }
      res.on('close', finish)
      const reply = script(captured, index)
      const send = () => {
        if (reply.kind === 'ok') {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(
            JSON.stringify({
              id: `chatcmpl-${index}`,
              object: 'chat.completion',
              created: 0,
              model: captured.body['model'],
              choices: [
                {
                  index: 0,
                  finish_reason: 'stop',
                  logprobs: null,
                  message: { role: 'assistant', content: reply.text ?? `answer ${index}`, refusal: null },
                },
              ],
              usage: {
                prompt_tokens: reply.promptTokens ?? 10,
                completion_tokens: reply.completionTokens ?? 5,
                total_tokens: (reply.promptTokens ?? 10) + (reply.completionTokens ?? 5),
              },
            }),
          )
        } else if (reply.kind === 'status') {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
          res.end(JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'test' } }))
        } else if (reply.kind === 'malformed') {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"id": "x", "choices": [')
        } else if (reply.kind === 'reset') {
          req.socket.destroy()
        } else if (reply.kind === 'not-a-completion') {
          res.writeHead(200, { 'content-type': 'text/html' })
          res.end('<html>proxy login</html>')
        }
      }
      if (reply.kind === 'ok' && reply.after) void reply.after.then(send)
      else if (reply.kind === 'ok' && reply.delayMs) setTimeout(send, reply.delayMs)
      else send()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    contractViolations,
    get inFlight() {
      return inFlight
    },
    get peakInFlight() {
      return peakInFlight
    },
    get metrics() {
      return state.metrics
    },
    set metrics(value) {
      state.metrics = value
    },
    get metricsPolls() {
      return state.metricsPolls
    },
    set metricsPolls(value) {
      state.metricsPolls = value
    },
    connections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The body with each `video_url` part replaced by an image part, to check the rest against the OpenAI schema. */
export function withVideoAsImage(body: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(body)
  for (const message of (copy['messages'] as { content?: unknown }[] | undefined) ?? []) {
    if (!Array.isArray(message.content)) continue
    message.content = message.content.map((part: { type?: string }) =>
      part.type === 'video_url' ? { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } } : part,
    )
  }
  return copy
}
