/**
 * @dataflow/metrics: Prometheus metrics of a dataflow run (prefix `dataflow_`), read from the
 * run's live telemetry at scrape time, and a small HTTP server for `GET /metrics`.
 */
export { createRunMetrics, type RunMetrics, type RunMetricsOptions } from './run-metrics.js'
export { createCoordinatorMetrics, type CoordinatorMetrics, type CoordinatorSnapshot } from './coordinator-metrics.js'
export { serveMetrics, type MetricsServer, type MetricsServerOptions } from './serve-metrics.js'
export { parseListenAddress } from './parse-listen-address.js'
export { parseExposition, series } from './parse-exposition.js'
