import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '@dataflow/sdk'
import { modelConfigSchema } from './model-config-schema.js'
import { metricsURLFor, resolveModelConfig } from './resolve-model-config.js'

describe('resolveModelConfig', () => {
  it('applies the schema defaults', () => {
    const config = resolveModelConfig('vlm', {
      baseURL: 'http://127.0.0.1:8000/v1/',
      model: 'Qwen/Qwen2.5-VL-72B-Instruct',
    })
    expect(config).toMatchObject({
      endpoints: ['http://127.0.0.1:8000/v1'],
      maxConcurrency: 64,
      minConcurrency: 1,
      initialConcurrency: 64,
      timeoutMs: 300000,
      minTimeoutMs: 10000,
      retries: 4,
      backoff: { baseMs: 1000, maxMs: 30000 },
      server: 'openai',
      priority: undefined,
      localMediaRoot: undefined,
      responseFormat: 'json_schema',
      videoInput: 'frames',
      frameLabels: true,
      metrics: undefined,
      circuitBreaker: { failureThreshold: 5, cooldownMs: 10000, maxCooldownMs: 120000 },
      prices: undefined,
      gpu: undefined,
    })
  })

  it('derives a /metrics URL per replica', () => {
    const config = resolveModelConfig('vlm', {
      endpoints: ['http://a:8000/v1', 'http://b:8001/v1'],
      model: 'm',
      metrics: true,
    })
    expect(config.metrics).toEqual({
      urls: ['http://a:8000/metrics', 'http://b:8001/metrics'],
      intervalMs: 1000,
      maxWaitingRatio: 0.1,
    })
    expect(metricsURLFor('https://gpu.example.com/vllm/v1/')).toBe('https://gpu.example.com/vllm/metrics')
  })

  it.each([
    [{ model: 'm' }, 'give exactly one of `baseURL`'],
    [{ model: 'm', baseURL: 'http://a/v1', endpoints: ['http://b/v1'] }, 'give exactly one of `baseURL`'],
    [{ model: 'm', baseURL: 'http://a/v1', maxConcurency: 4 }, "must NOT have additional properties: 'maxConcurency'"],
    [{ model: 'm', baseURL: 'ftp://a' }, 'baseURL must match pattern'],
    [
      { model: 'm', baseURL: 'http://a/v1', minConcurrency: 8, maxConcurrency: 4 },
      'minConcurrency (8) is above maxConcurrency (4)',
    ],
    [{ model: 'm', baseURL: 'http://a/v1', apiKeyEnv: 'sk-abc123' }, 'apiKeyEnv must match pattern'],
    [
      { model: 'm', endpoints: ['http://a/v1', 'http://b/v1'], metrics: 'http://a/metrics' },
      'a metrics URL applies to one server',
    ],
  ])('refuses %j', (config, message) => {
    expect(() => resolveModelConfig('vlm', config as never)).toThrow(
      expect.objectContaining({ code: 'DATAFLOW_CONFIG_INVALID', message: expect.stringContaining(message) }),
    )
  })
})

describe('modelConfigSchema', () => {
  it('describes every field', () => {
    const missing: string[] = []
    const walk = (schema: JsonSchema, path: string) => {
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (typeof property.description !== 'string' || property.description.length < 10) missing.push(`${path}${name}`)
        walk(property, `${path}${name}.`)
        for (const branch of property.anyOf ?? []) walk(branch, `${path}${name}.`)
      }
    }
    walk(modelConfigSchema, '')
    expect(missing).toEqual([])
  })
})
