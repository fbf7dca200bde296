import { resolve } from 'node:path'
import { Ajv } from 'ajv'
import { DataflowError } from '@dataflow/sdk'
import type { ModelConfig } from './model-config.js'
import { modelConfigSchema } from './model-config-schema.js'
import { REMOVED_PARAMETERS, SERVER_TRAITS, type PriorityDirection, type ServerKind } from './server-kind.js'

/** A model entry with every default applied and its URLs normalised. */
export interface ResolvedModelConfig {
  /** Logical name: the key under `models:`. */
  name: string
  servedModel: string
  /** Normalised base URLs (no trailing slash), at least one. */
  endpoints: string[]
  apiKeyEnv: string | undefined
  defaults: { temperature?: number; maxTokens?: number; topP?: number; extra: Record<string, unknown> }
  maxConcurrency: number
  minConcurrency: number
  initialConcurrency: number
  timeoutMs: number
  /** Floor of the adaptive timeout (at most `timeoutMs`). */
  minTimeoutMs: number
  retries: number
  backoff: { baseMs: number; maxMs: number }
  server: ServerKind
  /** Direction of the `priority` body field; undefined: not sent. */
  priority: PriorityDirection | undefined
  /** Folder the server reads at the same path (file:// media); undefined: data URLs only. */
  localMediaRoot: string | undefined
  responseFormat: 'json_schema' | 'json_object' | 'none'
  videoInput: 'frames' | 'video_url'
  frameLabels: boolean
  /** Metrics polling, per endpoint URL; undefined when off. */
  metrics: { urls: string[]; intervalMs: number; maxWaitingRatio: number } | undefined
  circuitBreaker: { failureThreshold: number; cooldownMs: number; maxCooldownMs: number }
  prices: { inputPerMillion: number; outputPerMillion: number; currency: string } | undefined
  gpu: { count: number; pricePerHour: number; currency: string } | undefined
}

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true })
const validate = ajv.compile<ModelConfig>(modelConfigSchema)

const invalid = (name: string, message: string) =>
  new DataflowError('DATAFLOW_CONFIG_INVALID', `models.${name}: ${message}`, {
    hint: 'Fix the model entry under `models:` in the pipeline file.',
  })

function describeErrors(errors: NonNullable<typeof validate.errors>): string {
  return errors
    .slice(0, 5)
    .map((error) => {
      const where = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'the entry'
      const extra: unknown = error.params['additionalProperty']
      return `${where} ${error.message ?? 'is invalid'}${typeof extra === 'string' ? `: '${extra}'` : ''}`
    })
    .join('; ')
}

/** Strips trailing slashes so that the same server written two ways shares one pool. */
export function normaliseBaseURL(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The `/metrics` URL of the server behind an OpenAI base URL (`http://h:8000/v1` -> `http://h:8000/metrics`). */
export function metricsURLFor(baseURL: string): string {
  const url = new URL(normaliseBaseURL(baseURL))
  const path = url.pathname.replace(/\/v1$/, '')
  return `${url.origin}${path}/metrics`
}

/** Validates one `models:` entry against {@link modelConfigSchema} and applies its defaults. */
export function resolveModelConfig(name: string, input: ModelConfig): ResolvedModelConfig {
  const config = structuredClone(input)
  if (!validate(config)) throw invalid(name, describeErrors(validate.errors ?? []))
  if ((config.baseURL === undefined) === (config.endpoints === undefined)) {
    throw invalid(name, 'give exactly one of `baseURL` (one server) or `endpoints` (replicas)')
  }
  const endpoints = [...new Set((config.endpoints ?? [config.baseURL!]).map(normaliseBaseURL))]
  const maxConcurrency = config.maxConcurrency!
  const minConcurrency = config.minConcurrency!
  const initialConcurrency = config.initialConcurrency ?? maxConcurrency
  if (minConcurrency > maxConcurrency)
    throw invalid(name, `minConcurrency (${minConcurrency}) is above maxConcurrency (${maxConcurrency})`)
  if (initialConcurrency < minConcurrency || initialConcurrency > maxConcurrency) {
    throw invalid(
      name,
      `initialConcurrency (${initialConcurrency}) must lie between minConcurrency (${minConcurrency}) and maxConcurrency (${maxConcurrency})`,
    )
  }
  const removed = Object.keys(config.defaults?.extra ?? {}).find((key) => REMOVED_PARAMETERS.includes(key))
  if (removed !== undefined) throw invalid(name, removedParameterMessage(removed))
  const breaker = config.circuitBreaker!
  const backoff = config.backoff!
  return {
    name,
    servedModel: config.model,
    endpoints,
    apiKeyEnv: config.apiKeyEnv,
    defaults: {
      ...(config.defaults?.temperature === undefined ? {} : { temperature: config.defaults.temperature }),
      ...(config.defaults?.maxTokens === undefined ? {} : { maxTokens: config.defaults.maxTokens }),
      ...(config.defaults?.topP === undefined ? {} : { topP: config.defaults.topP }),
      extra: config.defaults?.extra ?? {},
    },
    maxConcurrency,
    minConcurrency,
    initialConcurrency,
    timeoutMs: config.timeoutMs!,
    minTimeoutMs: Math.min(config.minTimeoutMs!, config.timeoutMs!),
    retries: config.retries!,
    backoff: { baseMs: backoff.baseMs!, maxMs: backoff.maxMs! },
    server: config.server!,
    priority: resolvePriority(name, config.server!, config.priority!),
    localMediaRoot: config.localMediaRoot === undefined ? undefined : resolve(config.localMediaRoot),
    responseFormat: config.responseFormat!,
    videoInput: config.videoInput!,
    frameLabels: config.frameLabels!,
    metrics: resolveMetrics(name, config.metrics, endpoints),
    circuitBreaker: {
      failureThreshold: breaker.failureThreshold!,
      cooldownMs: breaker.cooldownMs!,
      maxCooldownMs: Math.max(breaker.maxCooldownMs!, breaker.cooldownMs!),
    },
    prices: config.prices && { ...config.prices, currency: config.prices.currency ?? 'USD' },
    gpu: config.gpu && { ...config.gpu, currency: config.gpu.currency ?? 'USD' },
  }
}

/** Why a `guided_*` field is refused (in `defaults.extra` here, in a request's `extra` when it is sent). */
export function removedParameterMessage(field: string): string {
  return `defaults.extra.${field} is not sent: vLLM removed the guided_* fields in 0.12 and other servers never took them; dataflow sends the node's JSON Schema as response_format (json_schema) and validates every answer. Remove ${field}.`
}

function resolvePriority(
  name: string,
  server: ServerKind,
  priority: boolean | PriorityDirection,
): PriorityDirection | undefined {
  if (priority === false) return undefined
  if (server === 'openai')
    throw invalid(
      name,
      '`priority` needs `server: vllm`, `sglang` or `lmdeploy`: OpenAI-compatible APIs in general take no per-request priority',
    )
  if (priority !== true) return priority
  const direction = SERVER_TRAITS[server].priority
  if (direction === undefined)
    throw invalid(
      name,
      `${server} documents no direction for \`priority\` here: write \`priority: lower-first\` or \`priority: higher-first\` as the server runs first`,
    )
  return direction
}

function resolveMetrics(
  name: string,
  metrics: ModelConfig['metrics'],
  endpoints: string[],
): ResolvedModelConfig['metrics'] {
  if (metrics === undefined || metrics === false) return undefined
  const options = typeof metrics === 'object' ? metrics : {}
  const url = typeof metrics === 'string' ? metrics : options.url
  if (url !== undefined && endpoints.length > 1) {
    throw invalid(
      name,
      'a metrics URL applies to one server; with several `endpoints` use `metrics: true` to derive one per replica',
    )
  }
  return {
    urls: url === undefined ? endpoints.map(metricsURLFor) : [url],
    intervalMs: options.intervalMs ?? 1000,
    maxWaitingRatio: options.maxWaitingRatio ?? 0.1,
  }
}
