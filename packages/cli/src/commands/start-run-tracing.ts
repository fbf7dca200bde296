import type { LoadedPipeline, RunHooks } from '@dataflow/core'

export interface RunTracing {
  hooks: RunHooks
  shutdown(): Promise<void>
}

/**
 * OpenTelemetry spans when the standard OTLP variables are set; undefined otherwise. The
 * OpenTelemetry SDK is imported only then, so a run without them loads and pays nothing.
 */
export async function startRunTracing(
  pipeline: LoadedPipeline,
  env: NodeJS.ProcessEnv,
): Promise<RunTracing | undefined> {
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT'] && !env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return undefined
  const { isOtlpTracingConfigured, startOtlpTracing } = await import('@dataflow/tracing')
  return isOtlpTracingConfigured(env) ? startOtlpTracing(pipeline, env) : undefined
}
