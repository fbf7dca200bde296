import { describe, expect, it } from 'vitest'
import { renderMetrics } from './metrics.js'
import { startSimulator } from './start-simulator.js'
import { chat, user } from './test-support/http.js'

/** One sample line of the Prometheus text format: name{labels} value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{model_name="((?:[^"\\]|\\.)*)"\} (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/

describe('GET /metrics', () => {
  it('exports vLLM metric names with a model_name label in the Prometheus text format', async () => {
    const sim = await startSimulator({ timeScale: 0.001, models: ['a', 'b'] })
    try {
      await chat(sim.url, { model: 'b', messages: [user('hi')], max_tokens: 7 })
      const response = await fetch(sim.url.replace(/\/v1$/, '/metrics'))
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      const text = await response.text()
      const families = new Map<string, string>()
      const samples = new Map<string, number>()
      for (const line of text.trimEnd().split('\n')) {
        if (line.startsWith('# TYPE ')) {
          const [, , name, type] = line.split(' ')
          families.set(name!, type!)
        } else if (!line.startsWith('# HELP ')) {
          const match = SAMPLE.exec(line)
          expect(match, line).not.toBeNull()
          expect(families.has(match![1]!), `${match![1]} has a TYPE line before its samples`).toBe(true)
          samples.set(`${match![1]}/${match![2]}`, Number(match![3]))
        }
      }
      expect(Object.fromEntries(families)).toEqual({
        'vllm:num_requests_running': 'gauge',
        'vllm:num_requests_waiting': 'gauge',
        'vllm:prompt_tokens_total': 'counter',
        'vllm:generation_tokens_total': 'counter',
        'vllm:prefix_cache_queries_total': 'counter',
        'vllm:prefix_cache_hits_total': 'counter',
      })
      expect(samples.get('vllm:generation_tokens_total/b')).toBe(7)
      expect(samples.get('vllm:generation_tokens_total/a')).toBe(0)
      expect(samples.get('vllm:prompt_tokens_total/b')).toBeGreaterThan(0)
      expect(samples.get('vllm:num_requests_running/b')).toBe(0)
    } finally {
      await sim.close()
    }
  })

  it('escapes label values', () => {
    const text = renderMetrics(
      new Map([
        [
          'we"ird\\name',
          { running: 1, waiting: 0, promptTokens: 0, generationTokens: 0, prefixCacheQueries: 0, prefixCacheHits: 0 },
        ],
      ]),
    )
    expect(text).toContain('vllm:num_requests_running{model_name="we\\"ird\\\\name"} 1.0')
  })
})
