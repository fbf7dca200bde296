import { describe, expect, it } from 'vitest'
import { parseVllmLoad } from './vllm-metrics.js'

describe('parseVllmLoad', () => {
  it('sums the running and waiting gauges over label sets', () => {
    const text = [
      '# HELP vllm:num_requests_running Number of requests in model execution batches.',
      'vllm:num_requests_running{engine="0",model_name="a"} 12.0',
      'vllm:num_requests_running{engine="1",model_name="a"} 3.0',
      'vllm:num_requests_waiting{model_name="a"} 4.0',
      'vllm:num_requests_waiting_by_reason{reason="x"} 99',
    ].join('\n')
    expect(parseVllmLoad(text)).toEqual({ running: 15, waiting: 4 })
    expect(parseVllmLoad('process_cpu_seconds_total 3')).toBeUndefined()
  })

  it('reads the KV-cache usage under its current name, and under the deprecated one from older servers', () => {
    const queue = ['vllm:num_requests_running{model_name="a"} 8', 'vllm:num_requests_waiting{model_name="a"} 1']
    const current = [
      ...queue,
      'vllm:kv_cache_usage_perc{engine="0",model_name="a"} 0.42',
      'vllm:kv_cache_usage_perc{engine="1",model_name="a"} 0.61',
    ]
    expect(parseVllmLoad(current.join('\n'))).toEqual({ running: 8, waiting: 1, kvCacheUsage: 0.61 })
    const old = [...queue, 'vllm:gpu_cache_usage_perc{model_name="a"} 0.3']
    expect(parseVllmLoad(old.join('\n'))).toEqual({ running: 8, waiting: 1, kvCacheUsage: 0.3 })
    // A server exporting both during the deprecation period: the current name wins.
    expect(parseVllmLoad([...current, 'vllm:gpu_cache_usage_perc{model_name="a"} 0.99'].join('\n'))).toMatchObject({
      kvCacheUsage: 0.61,
    })
    expect(parseVllmLoad(queue.join('\n'))).toEqual({ running: 8, waiting: 1 })
  })
})
