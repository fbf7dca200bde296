/**
 * @dataflow/tracing: OpenTelemetry spans of a dataflow run (one per item, node call and model
 * request, the last following the GenAI semantic conventions), exported over OTLP/HTTP.
 */
export { createRunTracing, type RunTracingOptions, type TracedPipeline } from './run-tracing.js'
export { isOtlpTracingConfigured, startOtlpTracing, type OtlpTracing } from './start-otlp-tracing.js'
