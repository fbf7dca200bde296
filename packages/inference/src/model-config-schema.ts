import type { JsonSchema } from '@dataflow/sdk'

const positiveInteger = (description: string, defaultValue?: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  description,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
})

const url = (description: string): JsonSchema => ({ type: 'string', pattern: '^https?://', description })

/**
 * JSON Schema of one `models:` entry ({@link ModelConfig}). The pipeline loader embeds it;
 * `resolveModelConfig` applies the same defaults.
 */
export const modelConfigSchema: JsonSchema = {
  type: 'object',
  description: 'An OpenAI-compatible model served at one URL (`baseURL`) or by several replicas (`endpoints`).',
  additionalProperties: false,
  required: ['model'],
  properties: {
    baseURL: url('Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. Give this or `endpoints`.'),
    endpoints: {
      type: 'array',
      minItems: 1,
      items: url('Base URL of one replica.'),
      description:
        'Base URLs of replicas serving the same model; each request goes to the least loaded healthy replica (the first with a free slot).',
    },
    model: {
      type: 'string',
      minLength: 1,
      description: 'The model name the server serves (the `model` field of each request).',
    },
    apiKeyEnv: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      description:
        'NAME of the environment variable holding the API key (never the key itself). Without it requests carry the key `EMPTY`.',
    },
    defaults: {
      type: 'object',
      additionalProperties: false,
      description: 'Generation parameters used when a request does not set them.',
      properties: {
        temperature: { type: 'number', minimum: 0, description: "Sampling temperature. Default: the server's." },
        maxTokens: positiveInteger("Upper bound of generated tokens (`max_tokens`). Default: the server's."),
        topP: { type: 'number', minimum: 0, maximum: 1, description: "Nucleus sampling. Default: the server's." },
        extra: {
          type: 'object',
          description:
            "Extra body fields for the server (e.g. vLLM `top_k`); a request's `extra` is merged over these.",
        },
      },
    },
    maxConcurrency: positiveInteger(
      'Ceiling of in-flight requests per endpoint; adaptive control never exceeds it.',
      64,
    ),
    minConcurrency: positiveInteger('Floor of in-flight requests per endpoint; back-off never goes below it.', 1),
    initialConcurrency: positiveInteger('In-flight requests allowed per endpoint at start. Default: `maxConcurrency`.'),
    timeoutMs: positiveInteger(
      'Longest per-attempt timeout in milliseconds (queueing time does not count); the timeout that applies until answers have been seen, and when many attempts time out.',
      300000,
    ),
    minTimeoutMs: positiveInteger(
      'Shortest per-attempt timeout in milliseconds. Once 20 answers of a node have been seen, an attempt times out after 4 x the p99 of their latency, within [minTimeoutMs, timeoutMs]. Set it to timeoutMs for a fixed timeout.',
      10000,
    ),
    retries: {
      type: 'integer',
      minimum: 0,
      default: 4,
      description:
        'Retries after the first attempt, for retryable failures only (429, 5xx, timeouts, connection errors).',
    },
    backoff: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Delay between retries: exponential with full jitter.',
      properties: {
        baseMs: positiveInteger('Delay cap before the first retry, in milliseconds; doubles at each retry.', 1000),
        maxMs: positiveInteger(
          'Largest delay between retries, and longest `Retry-After` pause honoured, in milliseconds.',
          30000,
        ),
      },
    },
    server: {
      enum: ['vllm', 'sglang', 'lmdeploy', 'openai'],
      default: 'openai',
      description:
        'The kind of server behind the URL: `vllm`, `sglang`, `lmdeploy`, or `openai` (any other OpenAI-compatible API). Decides the direction of `priority`.',
    },
    priority: {
      default: false,
      description:
        "Send each request's depth priority (deeper nodes first, so started items finish) as the body's `priority`: `true` in the server kind's direction (vLLM lower-first, SGLang higher-first), or `lower-first` / `higher-first` explicitly (lmdeploy, SGLang with --schedule-low-priority-values-first). The server must run with priority scheduling.",
      anyOf: [{ type: 'boolean' }, { enum: ['lower-first', 'higher-first'] }],
    },
    localMediaRoot: {
      type: 'string',
      pattern: '^/',
      description:
        'Absolute folder the server reads at the same path (vLLM --allowed-local-media-path): images sent unchanged and videos inside it go as file:// URLs instead of base64 data URLs.',
    },
    responseFormat: {
      enum: ['json_schema', 'json_object', 'none'],
      default: 'json_schema',
      description:
        'Structured output support: `json_schema` (strict response_format), `json_object` (JSON mode + schema in the prompt) or `none` (schema in the prompt). Answers are always validated.',
    },
    videoInput: {
      enum: ['frames', 'video_url'],
      default: 'frames',
      description: 'Videos as one image part per frame (`frames`) or as one `video_url` part (vLLM extension).',
    },
    frameLabels: {
      type: 'boolean',
      default: true,
      description: 'In `frames` mode, put a short `Frame i at t s` text before each frame.',
    },
    metrics: {
      default: false,
      description:
        "Read vLLM's Prometheus /metrics to keep the server's waiting queue short: true (derive the URL), a URL, or an object.",
      anyOf: [
        { type: 'boolean' },
        url('Metrics URL (one endpoint only).'),
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            url: url('Metrics URL. Default: `http://host:port/metrics` of each endpoint.'),
            intervalMs: positiveInteger('Poll interval in milliseconds.', 1000),
            maxWaitingRatio: {
              type: 'number',
              minimum: 0,
              default: 0.1,
              description: 'Keep waiting requests at or below this fraction of running ones (at least 1).',
            },
          },
        },
      ],
    },
    circuitBreaker: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Takes a failing replica out for a cool-down.',
      properties: {
        failureThreshold: positiveInteger(
          'Consecutive failures (connection errors, timeouts, 5xx) that take a replica out.',
          5,
        ),
        cooldownMs: positiveInteger('First cool-down in milliseconds; doubles each time a trial request fails.', 10000),
        maxCooldownMs: positiveInteger('Longest cool-down in milliseconds.', 120000),
      },
    },
    prices: {
      type: 'object',
      additionalProperties: false,
      required: ['inputPerMillion', 'outputPerMillion'],
      description: 'Per-token prices for the cost report.',
      properties: {
        inputPerMillion: { type: 'number', minimum: 0, description: 'Price of one million prompt tokens.' },
        outputPerMillion: { type: 'number', minimum: 0, description: 'Price of one million completion tokens.' },
        currency: { type: 'string', default: 'USD', description: 'Currency of the prices.' },
      },
    },
    gpu: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'pricePerHour'],
      description: 'GPUs behind each endpoint, for the GPU-hours cost report.',
      properties: {
        count: { type: 'number', exclusiveMinimum: 0, description: 'GPUs serving each endpoint.' },
        pricePerHour: { type: 'number', minimum: 0, description: 'Price of one GPU for one hour.' },
        currency: { type: 'string', default: 'USD', description: 'Currency of the price.' },
      },
    },
  },
}
