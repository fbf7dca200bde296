import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { startSimulator } from './start-simulator.js'
import { waitFor } from './test-support/wait-for.js'

/** Counts of the handle kinds a server can leak. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout')
      counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

/** A raw request on its own socket (no pooling); settles when the socket ends either way. */
function rawPost(url: string, body: unknown): Promise<string> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.on('data', () => undefined)
        res.on('end', () => resolve('ended'))
        res.on('error', () => resolve('error'))
        res.on('close', () => resolve('closed'))
      },
    )
    req.on('error', () => resolve('error'))
    req.end(JSON.stringify(body))
  })
}

describe('close()', () => {
  it('ends every socket and timer, even with hung, queued and streaming requests', async () => {
    const before = handles()
    const sim = await startSimulator({ maxSeqs: 1, timeScale: 1 })
    const url = `${sim.url}/chat/completions`
    const message = (text: string) => ({ model: 'm', messages: [{ role: 'user', content: text }] })
    const streaming = rawPost(url, { ...message('stream'), stream: true })
    const queued = rawPost(url, message('queued'))
    await waitFor(() => sim.stats().running === 1 && sim.stats().waiting === 1, 'one running and one queued request')
    sim.setFaults({ hangRate: 1 })
    const hung = rawPost(url, message('hang'))
    await waitFor(() => sim.stats().faults.hung === 1, 'the hung request')
    await sim.close()
    expect(await Promise.all([streaming, queued, hung])).toHaveLength(3)
    await waitFor(() => JSON.stringify(handles()) === JSON.stringify(before), 'handles to return to the baseline', 2000)
    expect(handles()).toEqual(before)
    expect(sim.stats().openConnections).toBe(0)
  })

  it('can be called twice', async () => {
    const sim = await startSimulator()
    await Promise.all([sim.close(), sim.close()])
    await sim.close()
  })
})
