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
})
