import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAgentFetch, createKeepAliveAgent } from './agent-fetch.js'

describe('createAgentFetch', () => {
  const server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      if (request.url === '/hang') return
      const status = request.url === '/fail' ? 503 : request.url === '/empty' ? 204 : 200
      response.writeHead(status, { 'content-type': 'application/json', 'x-echo-method': request.method ?? '' })
      response.end(status === 204 ? undefined : JSON.stringify({ path: request.url, body, text: 'déjà vu ✓' }))
    })
  })
  let base = ''
  const agent = createKeepAliveAgent('http://127.0.0.1', 4)
  const fetch = createAgentFetch(agent)

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('answers a Response whose body reads the same through json, text, arrayBuffer, blob and the stream', async () => {
    const expected = { path: '/a', body: '{"q":1}', text: 'déjà vu ✓' }
    const post = () =>
      fetch(`${base}/a`, { method: 'post', body: '{"q":1}', headers: { 'content-type': 'application/json' } })
    const first = await post()
    expect(first).toBeInstanceOf(Response)
    expect([first.status, first.ok, first.headers.get('x-echo-method')]).toEqual([200, true, 'POST'])
    expect(await first.json()).toEqual(expected)
    expect(JSON.parse(await (await post()).text())).toEqual(expected)
    expect(JSON.parse(new TextDecoder().decode(await (await post()).arrayBuffer()))).toEqual(expected)
    const blob = await (await post()).blob()
    expect([blob.type, JSON.parse(await blob.text())]).toEqual(['application/json', expected])
    const streamed = await new Response((await post()).body).json()
    expect(streamed).toEqual(expected)
  })

  it('keeps error statuses and bodyless answers', async () => {
    const failed = await fetch(`${base}/fail`)
    expect([failed.status, failed.ok]).toEqual([503, false])
    expect(JSON.parse(await failed.text()).path).toBe('/fail')
    const empty = await fetch(`${base}/empty`)
    expect([empty.status, empty.body]).toEqual([204, null])
  })

  it('an abort rejects with an AbortError at once', async () => {
    const controller = new AbortController()
    const pending = fetch(`${base}/hang`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await expect(fetch(`${base}/a`, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('close() fails the requests in flight with its reason and refuses later ones', async () => {
    const own = createAgentFetch(agent)
    const pending = own(`${base}/hang`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const reason = new Error('closing')
    own.close(reason)
    await expect(pending).rejects.toBe(reason)
    await expect(own(`${base}/a`)).rejects.toBe(reason)
    expect((await fetch(`${base}/a`)).status).toBe(200)
  })
})
