import type { InferenceReport } from '@dataflow/inference'

/** One reading of one endpoint of the inference layer. */
export interface EndpointSample {
  /** ms since sampling started. */
  t: number
  limit: number
  inFlight: number
  queued: number
}

/** What the inference layer did over a run, per endpoint host. */
export interface InferenceSeries {
  endpoints: Record<
    string,
    {
      samples: EndpointSample[]
      /** Limit changes downwards, lowest limit, Retry-After pauses, timed-out attempts. */
      decreases: number
      minLimit: number
      pauses: number
      timeouts: number
    }
  >
  /** Attempts beyond the first, over all models. */
  retries: number
  /** Final errors by code, over all models. */
  errors: Record<string, number>
  /** Busy seconds per model (what GPU cost is charged on). */
  busySeconds: Record<string, number>
}

/** Reads `report()` every `everyMs` until stopped; cheap enough at a few readings per second. */
export function sampleInference(
  inference: { report(): InferenceReport },
  everyMs: number,
): { stop(): InferenceSeries } {
  const started = performance.now()
  const series: InferenceSeries = { endpoints: {}, retries: 0, errors: {}, busySeconds: {} }
  const read = () => {
    const report = inference.report()
    const t = Math.round(performance.now() - started)
    const seen = new Set<string>()
    for (const model of Object.values(report.models)) {
      for (const endpoint of model.endpoints) {
        if (seen.has(endpoint.host)) continue
        seen.add(endpoint.host)
        const entry = (series.endpoints[endpoint.host] ??= {
          samples: [],
          decreases: 0,
          minLimit: endpoint.limit.current,
          pauses: 0,
          timeouts: 0,
        })
        entry.samples.push({
          t,
          limit: endpoint.limit.current,
          inFlight: endpoint.pool.inFlight,
          queued: endpoint.pool.queued,
        })
        entry.decreases = endpoint.limit.decreases
        entry.minLimit = endpoint.limit.min
        entry.pauses = endpoint.pool.pauses
        entry.timeouts = (endpoint as { timeouts?: number }).timeouts ?? 0
      }
    }
    return report
  }
  const timer = setInterval(read, everyMs)
  return {
    stop() {
      clearInterval(timer)
      const report = read()
      for (const [name, model] of Object.entries(report.models)) {
        series.retries += model.retries
        series.busySeconds[name] = model.busySeconds
        for (const [code, count] of Object.entries(model.errors))
          series.errors[code] = (series.errors[code] ?? 0) + count
      }
      return series
    },
  }
}
