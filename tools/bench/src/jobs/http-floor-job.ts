import http from 'node:http'

export interface HttpFloorJob {
  type: 'http-floor'
  /** Chat-completions base URL (…/v1). */
  url: string
  requests: number
  concurrency: number
}

export interface HttpFloorResult {
  requests: number
  wallMs: number
  cpuMs: number
}

const PROMPT =
  'The detailed caption of the provided image: A bar chart of quarterly revenue: Q1 12, Q2 15, Q3 11 and Q4 19 million dollars, with a rising trend line.\n' +
  'In which quarter was revenue highest?\nA. Q1\nB. Q2\nC. Q3\nD. Q4\n Please think step by step.'

/**
 * The floor under any engine: the same chat requests sent with bare node:http (keep-alive agent,
 * JSON body, JSON answer parsed) and nothing else. Engine CPU per request is compared with it.
 */
export async function runHttpFloorJob(job: HttpFloorJob): Promise<HttpFloorResult> {
  const target = new URL(`${job.url}/chat/completions`)
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency + 4 })
  const send = (index: number) =>
    new Promise<unknown>((resolve, reject) => {
      const body = JSON.stringify({
        model: 'bench-llm',
        messages: [{ role: 'user', content: `${PROMPT} (item ${index})` }],
        max_tokens: 4096,
        temperature: 0.7,
        top_p: 0.95,
      })
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: 'Bearer EMPTY',
          },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(body)
    })
  let next = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.requests) await send(next++)
    }),
  )
  const used = process.cpuUsage(cpu)
  agent.destroy()
  return { requests: job.requests, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }
}
