import type http from 'node:http'
import { createHistogram, type Histogram, type Logger } from '@dataflow/sdk'
import { createAdmissionPool, type AdmissionPool } from './admission-pool.js'
import { createHttpWire, createKeepAliveAgent, type HttpWire } from './http-wire.js'
import { createAimdLimiter, type AimdLimiter, type LimitChange, type LimitChangeReason } from './aimd-limiter.js'
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.js'
import type { ResolvedModelConfig } from './resolve-model-config.js'
import type { Timers } from './timers.js'
import { startMetricsPoller, type MetricsPoller } from './vllm-metrics.js'

/** Extra sockets beyond the ceiling: metrics polls, and sockets still closing after an abort. */
const SOCKET_HEADROOM = 4

/**
 * One server URL: its socket pool, admission pool, adaptive limit and circuit breaker, shared
 * by every model and node of the run that sends to it.
 */
export interface Endpoint {
  readonly url: string
  /** host:port, without credentials: what logs, errors and reports name. */
  readonly host: string
  readonly pool: AdmissionPool
  readonly limiter: AimdLimiter
  readonly breaker: CircuitBreaker
  /** Duration of successful attempts at this endpoint. */
  readonly latency: Histogram
  /** Attempts that timed out here (each one is logged). */
  timeouts: number
  /** Chat completions and metrics reads over this endpoint's socket pool. */
  readonly wire: HttpWire
  readonly metrics: MetricsPoller | undefined
  /** Starts polling vLLM /metrics (once per endpoint). */
  enableMetrics(url: string, intervalMs: number): void
  readonly agent: http.Agent
  close(reason: Error): void
}

const LIMIT_MESSAGES: Record<LimitChangeReason, string> = {
  overload: 'concurrency limit lowered: overload answers (429/503/timeouts/connection errors) in one round trip',
  recovery: 'concurrency limit raised: a round trip without overload',
  probe: 'concurrency limit raised: probing for more',
  'server-queue': "concurrency limit lowered: the server's waiting queue (/metrics) is longer than wanted",
  'server-headroom': 'concurrency limit raised: the server has room (/metrics)',
}

/**
 * One line per change of the limit, so that a slower run says why. Overload decreases warn,
 * recoveries inform; /metrics steering moves the limit a few slots per reading all the time and
 * is logged at debug level (counted in the report's `limit.changes` like the others).
 */
function logLimitChange(log: Logger, change: LimitChange): void {
  const fields = {
    limit: change.to,
    from: change.from,
    reason: change.reason,
    ...(change.overloads === undefined ? {} : { overloads: change.overloads, answers: change.answers }),
  }
  const message = LIMIT_MESSAGES[change.reason]
  if (change.reason === 'overload') log.warn(fields, message)
  else if (change.reason === 'server-queue' || change.reason === 'server-headroom') log.debug(fields, message)
  else log.info(fields, message)
}

export function createEndpoint(url: string, config: ResolvedModelConfig, timers: Timers, logger: Logger): Endpoint {
  const parsed = new URL(url)
  const host = parsed.host
  const agent = createKeepAliveAgent(url, config.maxConcurrency + SOCKET_HEADROOM)
  const wire = createHttpWire(url, agent)
  const log = logger.child({ endpoint: host })
  const limiter = createAimdLimiter({
    floor: config.minConcurrency,
    ceiling: config.maxConcurrency,
    initial: config.initialConcurrency,
    ...(config.metrics ? { maxWaitingRatio: config.metrics.maxWaitingRatio } : {}),
    onChange: (change) => logLimitChange(log, change),
  })
  const breaker = createCircuitBreaker({
    ...config.circuitBreaker,
    now: timers.now,
    onChange: (state, detail) => {
      if (state === 'open')
        log.warn(
          { failures: detail.failures, cooldownMs: detail.cooldownMs },
          'replica taken out after repeated failures',
        )
      else log.info('replica back in service')
    },
  })
  const pool = createAdmissionPool(limiter, timers)
  let metrics: MetricsPoller | undefined
  return {
    url,
    host,
    pool,
    limiter,
    breaker,
    latency: createHistogram(),
    timeouts: 0,
    wire,
    agent,
    get metrics() {
      return metrics
    },
    enableMetrics(metricsUrl, intervalMs) {
      if (metrics) return
      metrics = startMetricsPoller({
        url: metricsUrl,
        intervalMs,
        get: (url, signal) => wire.get(url, signal),
        timers,
        onLoad: (load) => pool.applyServerLoad(load),
        onLost: (error, streak) => {
          limiter.onServerLoadLost()
          if (streak === 1)
            log.warn({ reason: error.message }, 'cannot read vLLM metrics; adaptive concurrency falls back to AIMD')
        },
      })
    },
    close(reason) {
      metrics?.stop()
      pool.close(reason)
      wire.close(reason)
    },
  }
}
