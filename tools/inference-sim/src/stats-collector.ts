import { createHistogram, type Histogram } from '@dataflow/sdk'
import type { Clock } from './clock.js'
import type { SimStats, WaitSummary } from './sim-stats.js'

export type FaultKind = keyof SimStats['faults']

/** Per-model token counters behind `/metrics`. */
export interface ModelCounters {
  promptTokens: number
  generationTokens: number
  prefixCacheQueries: number
  prefixCacheHits: number
}

/** Accumulates what `SimStats` reports; the server and the scheduler feed it. */
export interface StatsCollector {
  onAdmit(waitMs: number): void
  onOccupancy(running: number, waiting: number): void
  connectionOpened(): void
  connectionClosed(): void
  requestStarted(): void
  requestEnded(): void
  arrived(): void
  status(code: number): void
  fault(kind: FaultKind): void
  aborted(): void
  prompt(model: string, tokens: number, cachedTokens: number): void
  generated(model: string, tokens: number): void
  completed(contentHash: string): void
  modelCounters(): ReadonlyMap<string, ModelCounters>
  snapshot(): SimStats
  /** Clears everything but the live counts (running, waiting, in flight, open connections). */
  reset(): void
}

function summarise(histogram: Histogram): WaitSummary {
  const round = (v: number) => Math.round(v * 1000) / 1000
  return {
    count: histogram.count,
    p50: round(histogram.percentile(0.5)),
    p95: round(histogram.percentile(0.95)),
    max: round(histogram.max),
  }
}

export function createStatsCollector(settings: { maxSeqs: number; timeScale: number }, clock: Clock): StatsCollector {
  const live = { running: 0, waiting: 0, inFlight: 0, connections: 0 }
  const fresh = () => ({
    startedAt: clock.now(),
    lastChange: clock.now(),
    runningIntegral: 0,
    busyMs: 0,
    waitReal: createHistogram(),
    waitSimulated: createHistogram(),
    arrivals: 0,
    byStatus: {} as Record<string, number>,
    aborted: 0,
    faults: { serverError: 0, rateLimited: 0, overloaded: 0, hung: 0, malformed: 0, slow: 0 },
    models: new Map<string, ModelCounters>(),
    byContent: new Map<string, number>(),
    repeated: 0,
    peaks: {
      connections: live.connections,
      inFlight: live.inFlight,
      running: live.running,
      waiting: live.waiting,
      runningPlusWaiting: live.running + live.waiting,
    },
  })
  let state = fresh()

  const integrate = () => {
    const now = clock.now()
    const elapsed = now - state.lastChange
    state.runningIntegral += live.running * elapsed
    if (live.running > 0) state.busyMs += elapsed
    state.lastChange = now
  }
  const model = (name: string) => {
    let counters = state.models.get(name)
    if (counters === undefined) {
      counters = { promptTokens: 0, generationTokens: 0, prefixCacheQueries: 0, prefixCacheHits: 0 }
      state.models.set(name, counters)
    }
    return counters
  }
  const peak = (key: keyof SimStats['peaks'], value: number) => {
    if (value > state.peaks[key]) state.peaks[key] = value
  }

  return {
    onAdmit(waitMs) {
      state.waitReal.record(waitMs)
      state.waitSimulated.record(waitMs / settings.timeScale)
    },
    onOccupancy(running, waiting) {
      integrate()
      live.running = running
      live.waiting = waiting
      peak('running', running)
      peak('waiting', waiting)
      peak('runningPlusWaiting', running + waiting)
    },
    connectionOpened() {
      peak('connections', ++live.connections)
    },
    connectionClosed() {
      live.connections--
    },
    requestStarted() {
      peak('inFlight', ++live.inFlight)
    },
    requestEnded() {
      live.inFlight--
    },
    arrived() {
      state.arrivals++
    },
    status(code) {
      state.byStatus[code] = (state.byStatus[code] ?? 0) + 1
    },
    fault(kind) {
      state.faults[kind]++
    },
    aborted() {
      state.aborted++
    },
    prompt(name, tokens, cachedTokens) {
      const counters = model(name)
      counters.promptTokens += tokens
      counters.prefixCacheQueries += tokens
      counters.prefixCacheHits += cachedTokens
    },
    generated(name, tokens) {
      model(name).generationTokens += tokens
    },
    completed(contentHash) {
      const count = (state.byContent.get(contentHash) ?? 0) + 1
      state.byContent.set(contentHash, count)
      if (count === 2) state.repeated++
    },
    modelCounters: () => state.models,
    snapshot() {
      integrate()
      const elapsed = clock.now() - state.startedAt
      const capacity = settings.maxSeqs
      const totals = { prompt: 0, cachedPrompt: 0, completion: 0 }
      for (const counters of state.models.values()) {
        totals.prompt += counters.promptTokens
        totals.cachedPrompt += counters.prefixCacheHits
        totals.completion += counters.generationTokens
      }
      return {
        elapsedMs: elapsed,
        maxSeqs: settings.maxSeqs,
        timeScale: settings.timeScale,
        running: live.running,
        waiting: live.waiting,
        inFlight: live.inFlight,
        openConnections: live.connections,
        utilisation: {
          busy: state.busyMs > 0 ? state.runningIntegral / (capacity * state.busyMs) : 0,
          sinceReset: elapsed > 0 ? state.runningIntegral / (capacity * elapsed) : 0,
        },
        busyMs: { simulated: state.busyMs / settings.timeScale, real: state.busyMs },
        queueWaitMs: { simulated: summarise(state.waitSimulated), real: summarise(state.waitReal) },
        arrivals: state.arrivals,
        requestsByStatus: { ...state.byStatus },
        aborted: state.aborted,
        faults: { ...state.faults },
        tokens: totals,
        prefixCache: { queryTokens: totals.prompt, hitTokens: totals.cachedPrompt },
        peaks: { ...state.peaks },
        completedByContent: Object.fromEntries(state.byContent),
        repeatedContent: state.repeated,
      }
    },
    reset() {
      state = fresh()
    },
  }
}
