/**
 * @dataflow/inference: the run's OpenAI-compatible inference layer. Shared admission pools per
 * endpoint with priorities and adaptive concurrency, retries, replicas with circuit breakers,
 * structured output, request cache hook, accounting and cost.
 */
export {
  createInferenceService,
  type FatalListener,
  type InferenceService,
  type InferenceServiceOptions,
} from './inference-service.js'
export type { ClientBinding } from './inference-client.js'
export type {
  EndpointGauge,
  InferenceObserver,
  QueueWaitEvent,
  RequestEvent,
  RetryEvent,
} from './inference-observer.js'
export type {
  BackoffConfig,
  CircuitBreakerConfig,
  GenerationDefaults,
  GpuCost,
  MetricsConfig,
  ModelConfig,
  TokenPrices,
} from './model-config.js'
export { modelConfigSchema } from './model-config-schema.js'
export { resolveModelConfig, type ResolvedModelConfig } from './resolve-model-config.js'
export {
  canonicalJson,
  requestCacheKey,
  type CachedAnswer,
  type RequestCache,
  type RequestCacheKeyInput,
} from './request-cache.js'
export {
  createSqliteRequestCache,
  type RequestCacheMode,
  type RequestCacheStats,
  type SqliteRequestCache,
  type SqliteRequestCacheOptions,
} from './sqlite-request-cache.js'
export { defaultRequestCachePath } from './default-request-cache-path.js'
export type { ErrorRateGuardOptions } from './error-rate-guard.js'
export type {
  CostFigures,
  EndpointReport,
  InferenceReport,
  ModelReport,
  Money,
  NodeUsageReport,
  UsageReport,
} from './inference-report.js'
export { formatInferenceReport } from './format-inference-report.js'
export { extractJson, type JsonExtraction } from './extract-json.js'
