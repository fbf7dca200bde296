import type { ServerLoad } from './aimd-limiter.js'
import type { TextAnswer } from './http-wire.js'
import type { Timers } from './timers.js'

/**
 * Reads vLLM's gauges from Prometheus text (summed over label sets; undefined without the queue
 * gauges): requests running and waiting, and the KV-cache usage (0..1, the highest over label
 * sets) from `vllm:kv_cache_usage_perc`, or the deprecated `vllm:gpu_cache_usage_perc` that
 * servers before the rename export.
 */
export function parseVllmLoad(text: string): ServerLoad | undefined {
  let running: number | undefined
  let waiting: number | undefined
  let kvCache: number | undefined
  let gpuCache: number | undefined
  for (const line of text.split('\n')) {
    const match =
      /^vllm:(num_requests_running|num_requests_waiting|kv_cache_usage_perc|gpu_cache_usage_perc)(?:\{[^}]*\})?\s+(\S+)/.exec(
        line,
      )
    if (!match) continue
    const value = Number(match[2])
    if (!Number.isFinite(value)) continue
    if (match[1] === 'num_requests_running') running = (running ?? 0) + value
    else if (match[1] === 'num_requests_waiting') waiting = (waiting ?? 0) + value
    else if (match[1] === 'kv_cache_usage_perc') kvCache = Math.max(kvCache ?? 0, value)
    else gpuCache = Math.max(gpuCache ?? 0, value)
  }
  if (running === undefined || waiting === undefined) return undefined
  const kvCacheUsage = kvCache ?? gpuCache
  return kvCacheUsage === undefined ? { running, waiting } : { running, waiting, kvCacheUsage }
}

export interface MetricsStats {
  polls: number
  failures: number
  last: ServerLoad | undefined
}

export interface MetricsPoller {
  stats(): MetricsStats
  stop(): void
}

export interface MetricsPollerOptions {
  url: string
  intervalMs: number
  /** Reads a URL (the endpoint's wire, so polls share its socket pool). */
  get(url: string, signal: AbortSignal): Promise<TextAnswer>
  timers: Timers
  onLoad(load: ServerLoad): void
  /** A poll failed; `error` says why. Readings resume on the next success. */
  onLost(error: Error, consecutiveFailures: number): void
}

/** Polls a /metrics URL every `intervalMs` (never two polls at once) until stopped. */
export function startMetricsPoller(options: MetricsPollerOptions): MetricsPoller {
  const stats: MetricsStats = { polls: 0, failures: 0, last: undefined }
  let streak = 0
  let stopped = false
  let timer: unknown
  let inFlight: AbortController | undefined

  const poll = async () => {
    timer = undefined
    const controller = new AbortController()
    inFlight = controller
    const timeout = options.timers.setTimeout(() => controller.abort(), Math.max(options.intervalMs, 2000))
    try {
      const { status, text } = await options.get(options.url, controller.signal)
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status} from ${options.url}`)
      const load = parseVllmLoad(text)
      if (!load) throw new Error(`${options.url} has no vllm:num_requests_running/waiting gauges: is it a vLLM server?`)
      stats.polls++
      stats.last = load
      streak = 0
      if (!stopped) options.onLoad(load)
    } catch (error) {
      if (stopped) return
      stats.failures++
      options.onLost(error instanceof Error ? error : new Error(String(error)), ++streak)
    } finally {
      options.timers.clearTimeout(timeout)
      inFlight = undefined
      if (!stopped) timer = options.timers.setTimeout(() => void poll(), options.intervalMs)
    }
  }
  void poll()
  return {
    stats: () => ({ ...stats }),
    stop() {
      stopped = true
      if (timer !== undefined) options.timers.clearTimeout(timer)
      inFlight?.abort()
    },
  }
}
