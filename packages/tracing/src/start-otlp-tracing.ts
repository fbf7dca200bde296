import type { RunHooks } from '@dataflow/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { createRunTracing, type TracedPipeline } from './run-tracing.js'

/** True when the standard OpenTelemetry variables ask for traces over OTLP (and the SDK is not disabled). */
export function isOtlpTracingConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env['OTEL_SDK_DISABLED']?.toLowerCase() === 'true') return false
  if (env['OTEL_TRACES_EXPORTER'] !== undefined && !env['OTEL_TRACES_EXPORTER'].split(',').includes('otlp'))
    return false
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
}

export interface OtlpTracing {
  hooks: RunHooks
  /** Sends the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>
}

/**
 * A tracer provider exporting over OTLP/HTTP (JSON) where the standard variables say
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_HEADERS`...),
 * batched, with `service.name` from `OTEL_SERVICE_NAME` (default `dataflow`).
 */
export function startOtlpTracing(pipeline: TracedPipeline, env: NodeJS.ProcessEnv = process.env): OtlpTracing {
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.name': env['OTEL_SERVICE_NAME'] ?? 'dataflow',
        'dataflow.pipeline': pipeline.name,
      }),
    ),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  })
  return {
    hooks: createRunTracing({ pipeline, tracer: provider.getTracer('@dataflow/tracing') }),
    shutdown: () => provider.shutdown(),
  }
}
