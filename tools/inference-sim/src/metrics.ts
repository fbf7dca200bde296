/** Per-model values exported on `/metrics`. */
export interface ModelMetrics {
  running: number
  waiting: number
  promptTokens: number
  generationTokens: number
  prefixCacheQueries: number
  prefixCacheHits: number
}

const FAMILIES: readonly { name: string; type: 'gauge' | 'counter'; help: string; value: keyof ModelMetrics }[] = [
  {
    name: 'vllm:num_requests_running',
    type: 'gauge',
    help: 'Number of requests in model execution batches.',
    value: 'running',
  },
  {
    name: 'vllm:num_requests_waiting',
    type: 'gauge',
    help: 'Number of requests waiting to be processed.',
    value: 'waiting',
  },
  {
    name: 'vllm:prompt_tokens_total',
    type: 'counter',
    help: 'Number of prefill tokens processed.',
    value: 'promptTokens',
  },
  {
    name: 'vllm:generation_tokens_total',
    type: 'counter',
    help: 'Number of generation tokens processed.',
    value: 'generationTokens',
  },
  {
    name: 'vllm:prefix_cache_queries_total',
    type: 'counter',
    help: 'Prefix cache queries, in terms of number of queried tokens.',
    value: 'prefixCacheQueries',
  },
  {
    name: 'vllm:prefix_cache_hits_total',
    type: 'counter',
    help: 'Prefix cache hits, in terms of number of cached tokens.',
    value: 'prefixCacheHits',
  },
]

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
}

/** Prometheus text format (0.0.4) with vLLM's metric names and its `model_name` label. */
export function renderMetrics(byModel: ReadonlyMap<string, ModelMetrics>): string {
  const lines: string[] = []
  for (const family of FAMILIES) {
    lines.push(
      `# HELP ${family.name} ${family.help} (simulated by dataflow-sim)`,
      `# TYPE ${family.name} ${family.type}`,
    )
    for (const [model, metrics] of byModel) {
      const value = metrics[family.value]
      lines.push(`${family.name}{model_name="${escapeLabel(model)}"} ${Number.isInteger(value) ? `${value}.0` : value}`)
    }
  }
  return `${lines.join('\n')}\n`
}
