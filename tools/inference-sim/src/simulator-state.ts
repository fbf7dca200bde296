import type { Clock } from './clock.js'
import type { ResolvedOptions } from './options.js'
import type { PrefixCache } from './prefix-cache.js'
import type { Scheduler } from './scheduler.js'
import type { StatsCollector } from './stats-collector.js'
import type { StreamTicker } from './stream-ticker.js'

/** Name served when no `--model` is given (any requested name is then accepted and echoed). */
export const DEFAULT_MODEL = 'dataflow-sim'

/** Everything a request handler shares with the server. */
export interface SimulatorState {
  /** Settings; `faults` is replaced by `setFaults`. */
  options: ResolvedOptions
  clock: Clock
  scheduler: Scheduler
  stats: StatsCollector
  prefixCache: PrefixCache
  ticker: StreamTicker
  /** Model names requested so far (listed by `/v1/models` when any name is accepted). */
  seenModels: Set<string>
  /** Arrival index for the fault draw; reset by `reset()`. */
  nextArrival(): number
}
