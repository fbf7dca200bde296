import type { DataflowError } from '@dataflow/sdk'
import { createAdaptiveTimeout, type AdaptiveTimeout } from './adaptive-timeout.js'
import { createCeilingWatch, type CeilingWatch } from './ceiling-watch.js'
import type { Timers } from './timers.js'
import { createBusyClock, type BusyClock } from './busy-clock.js'
import type { AdmissionPool } from './admission-pool.js'
import type { Endpoint } from './endpoint.js'
import { createErrorRateGuard, type ErrorRateGuard, type ErrorRateGuardOptions } from './error-rate-guard.js'
import { candidateReplicas } from './candidate-replicas.js'
import type { DataUrlCache } from './data-url-cache.js'
import { createMediaUrls, type MediaUrls } from './media-urls.js'
import type { ResolvedModelConfig } from './resolve-model-config.js'
import { createUsageMeter, type UsageMeter } from './usage-meter.js'

/** One replica of a model: its endpoint and the model's busy time there. */
export interface Replica {
  readonly endpoint: Endpoint
  readonly busy: BusyClock
}

/** Everything the service keeps for one `models:` entry. */
export interface ModelRuntime {
  readonly config: ResolvedModelConfig
  readonly replicas: readonly Replica[]
  /** The key from `apiKeyEnv`, or `EMPTY`. Only ever handed to the OpenAI client. */
  readonly apiKey: string
  readonly guard: ErrorRateGuard | undefined
  /** Usage of this model over all nodes. */
  readonly meter: UsageMeter
  /** Per-attempt timeouts from the latency of this model's answers, per node. */
  readonly timeouts: AdaptiveTimeout
  /** Attempts sent before their node had an estimate, held to it once it exists. */
  readonly ceilingWatch: CeilingWatch
  /** How this model's media are sent: data URLs, or file URLs inside `localMediaRoot`. */
  readonly mediaUrls: MediaUrls
  /** Set once the error guard trips; every later request of this model fails with it. */
  fatal: DataflowError | undefined
  /** The replicas the next attempt may use (healthy ones), and a rotating start for ties. */
  candidates(): Candidates
}

/** Replicas an attempt may use, their admission pools (same order), and where ties start. */
export interface Candidates {
  readonly replicas: readonly Replica[]
  readonly pools: readonly AdmissionPool[]
  readonly start: number
}

export function createModelRuntime(
  config: ResolvedModelConfig,
  endpoints: readonly Endpoint[],
  apiKey: string,
  guardOptions: ErrorRateGuardOptions | false,
  timers: Timers,
  dataUrls: DataUrlCache,
): ModelRuntime {
  const now = timers.now
  const replicas: Replica[] = endpoints.map((endpoint) => ({ endpoint, busy: createBusyClock(now) }))
  const views = replicas.map(({ endpoint }) => ({
    canSend: () => endpoint.breaker.canSend(),
    get reopensAt() {
      return endpoint.breaker.reopensAt
    },
  }))
  const timeouts = createAdaptiveTimeout({ floorMs: config.minTimeoutMs, ceilingMs: config.timeoutMs })
  let rotation = 0
  // A single replica is always the only candidate: one answer for every attempt.
  const only: Candidates = { replicas, pools: replicas.map((replica) => replica.endpoint.pool), start: 0 }
  return {
    config,
    replicas,
    apiKey,
    guard: guardOptions === false ? undefined : createErrorRateGuard(guardOptions),
    meter: createUsageMeter(),
    timeouts,
    ceilingWatch: createCeilingWatch(timeouts, timers),
    mediaUrls: createMediaUrls(dataUrls, config.localMediaRoot),
    fatal: undefined,
    candidates() {
      if (replicas.length === 1) return only
      const chosen = candidateReplicas(views).map((index) => replicas[index]!)
      rotation = (rotation + 1) % replicas.length
      return {
        replicas: chosen,
        pools: chosen.map((replica) => replica.endpoint.pool),
        start: rotation % chosen.length,
      }
    },
  }
}
