import { isDataflowError } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import { parseListenAddress } from './parse-listen-address.js'
import { serveMetrics } from './serve-metrics.js'

describe('serveMetrics', () => {
  it('answers GET /metrics with the scrape, anything else with 404', async () => {
    let scrapes = 0
    const server = await serveMetrics({
      port: 0,
      host: '127.0.0.1',
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      scrape: async () => `dataflow_test_total ${++scrapes}\n`,
    })
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`)
      expect(await (await fetch(server.url)).text()).toBe('dataflow_test_total 1\n')
      expect(await (await fetch(`${server.url}?x=1`)).text()).toBe('dataflow_test_total 2\n')
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404)
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('refuses a port in use with DATAFLOW_USAGE and a hint, before anything runs', async () => {
    const first = await serveMetrics({ port: 0, host: '127.0.0.1', contentType: 'text/plain', scrape: async () => '' })
    try {
      const error = await serveMetrics({
        port: first.port,
        host: '127.0.0.1',
        contentType: 'text/plain',
        scrape: async () => '',
      }).catch((caught: unknown) => caught)
      expect(isDataflowError(error) && error.code).toBe('DATAFLOW_USAGE')
      expect((error as Error).message).toContain(`port ${first.port}: EADDRINUSE`)
      expect(isDataflowError(error) && error.hint).toMatch(/another --metrics-port/)
    } finally {
      await first.close()
    }
  })
})

describe('parseListenAddress', () => {
  it('reads port, host:port and [v6]:port', () => {
    expect(parseListenAddress('9464')).toEqual({ port: 9464 })
    expect(parseListenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 })
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 })
  })
  it('refuses what is not a port', () => {
    for (const text of ['', 'abc', '70000', 'host:', ':80', '1.2.3.4:x'])
      expect(() => parseListenAddress(text), text).toThrow(/is not a port/)
  })
})
