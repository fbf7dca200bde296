/**
 * One entry of the pipeline's `models:`: an OpenAI-compatible model served at one URL
 * (`baseURL`) or by several replicas (`endpoints`). Every field but `model` and one of
 * `baseURL` / `endpoints` has a default; the defaults are listed in {@link modelConfigSchema}.
 */
export interface ModelConfig {
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. Give this or `endpoints`. */
  baseURL?: string
  /**
   * Base URLs of replicas serving the same model. Each request goes to the least loaded healthy
   * replica (it waits at all of them and the first free slot takes it); a replica that keeps
   * failing is taken out for a cool-down.
   */
  endpoints?: string[]
  /** The model name the server serves: the `model` field of each request (e.g. `Qwen/Qwen2.5-VL-72B-Instruct`). */
  model: string
  /**
   * NAME of the environment variable holding the API key, never the key itself. Without it, or
   * when the variable is unset (a warning is logged), requests carry the placeholder key `EMPTY`
   * (what vLLM expects when started without `--api-key`).
   */
  apiKeyEnv?: string
  /** Generation parameters used when a request does not set them. */
  defaults?: GenerationDefaults
  /** Ceiling of in-flight requests per endpoint: adaptive control never exceeds it. Default 64. */
  maxConcurrency?: number
  /** Floor of in-flight requests per endpoint: back-off never goes below it. Default 1. */
  minConcurrency?: number
  /**
   * In-flight requests allowed per endpoint at start. Default: `maxConcurrency` (the configured
   * limit is in force at once; 429/503/timeouts lower it, success brings it back additively).
   */
  initialConcurrency?: number
  /**
   * Longest per-attempt timeout in milliseconds (time in the queue does not count): it applies
   * until 20 answers of a node have been seen, and while more than 10% of recent attempts time
   * out (a slow server rather than a hung request). Default 300000.
   */
  timeoutMs?: number
  /**
   * Shortest per-attempt timeout in milliseconds. Once answers have been seen, an attempt times
   * out after 4 x the p99 latency of the node's last answers, within [minTimeoutMs, timeoutMs],
   * so a hung request is cancelled and retried in seconds. Equal to `timeoutMs`: a fixed timeout.
   * Default 10000.
   */
  minTimeoutMs?: number
  /** Retries after the first attempt, for retryable failures only (429, 5xx, timeouts, connection errors). Default 4. */
  retries?: number
  /** Delay between retries: exponential with full jitter. */
  backoff?: BackoffConfig
  /**
   * The kind of server behind the URL: `vllm`, `sglang`, `lmdeploy`, or `openai` (any other
   * OpenAI-compatible API, hosted or not). Decides the direction of `priority`. Structured output
   * is `response_format` for every kind (no `guided_*` fields: vLLM removed them in 0.12).
   * Default `openai`.
   */
  server?: 'vllm' | 'sglang' | 'lmdeploy' | 'openai'
  /**
   * Send each request's depth priority (deeper nodes first, so that started items finish) as the
   * body's `priority` field. `true`: in the server kind's direction (vLLM: lower first, started
   * with `--scheduling-policy priority`; SGLang: higher first, `--enable-priority-scheduling`);
   * `lower-first` / `higher-first`: explicitly (lmdeploy TurboMind, or SGLang with
   * `--schedule-low-priority-values-first`). Not for `server: openai`. Default false.
   */
  priority?: boolean | 'lower-first' | 'higher-first'
  /**
   * Absolute folder that the server reads at the same path (vLLM `--allowed-local-media-path`):
   * images whose bytes are sent unchanged and videos (`video_url`) whose files lie inside it are
   * sent as `file://` URLs instead of base64 data URLs (no encoding, small requests). Anything
   * outside it, and re-encoded images, still go as data URLs. Default: none.
   */
  localMediaRoot?: string
  /**
   * What the server supports for structured output. `json_schema`: response_format with the
   * JSON Schema (strict); `json_object`: JSON mode plus the schema in the prompt; `none`: the
   * schema in the prompt only. Answers are validated on our side in every case. Default `json_schema`.
   */
  responseFormat?: 'json_schema' | 'json_object' | 'none'
  /**
   * How videos are sent. `frames`: one image part per sampled frame (any vision server);
   * `video_url`: one `video_url` part with the video file as a data URL (vLLM extension). Default `frames`.
   */
  videoInput?: 'frames' | 'video_url'
  /** In `frames` mode, put a short `Frame i at t s` text before each frame. Default true. */
  frameLabels?: boolean
  /**
   * Read the vLLM Prometheus endpoint to keep the server's waiting queue short:
   * `true` derives `<server>/metrics` from each endpoint URL; a string is the metrics URL
   * (one endpoint only); an object sets the details. Default false.
   */
  metrics?: boolean | string | MetricsConfig
  /** Replica circuit breaker. */
  circuitBreaker?: CircuitBreakerConfig
  /** Per-token prices, for the cost report (hosted APIs, or what a self-hosted run would cost there). */
  prices?: TokenPrices
  /** GPUs behind each endpoint, for the GPU-hours cost report (self-hosted models). */
  gpu?: GpuCost
}

export interface GenerationDefaults {
  /** Sampling temperature. Default: the server's. */
  temperature?: number
  /** Upper bound of generated tokens (`max_tokens`). Default: the server's. */
  maxTokens?: number
  /** Nucleus sampling. Default: the server's. */
  topP?: number
  /** Extra body fields for the server, e.g. vLLM's `top_k` or `repetition_penalty`. A request's `extra` is merged over these. */
  extra?: Record<string, unknown>
}

export interface BackoffConfig {
  /** Delay cap before the first retry, in milliseconds; doubles at each retry. Default 1000. */
  baseMs?: number
  /** Largest delay between retries, and longest `Retry-After` pause honoured, in milliseconds. Default 30000. */
  maxMs?: number
}

export interface MetricsConfig {
  /** Metrics URL. Default: derived from each endpoint (`http://host:port/metrics`). */
  url?: string
  /** Poll interval in milliseconds. Default 1000. */
  intervalMs?: number
  /** Keep the server's waiting requests at or below this fraction of its running ones (at least 1). Default 0.1. */
  maxWaitingRatio?: number
}

export interface CircuitBreakerConfig {
  /** Consecutive failures (connection errors, timeouts, 5xx) that take a replica out. Default 5. */
  failureThreshold?: number
  /** First cool-down in milliseconds; doubles each time a trial request fails. Default 10000. */
  cooldownMs?: number
  /** Longest cool-down in milliseconds. Default 120000. */
  maxCooldownMs?: number
}

export interface TokenPrices {
  /** Price of one million prompt tokens. */
  inputPerMillion: number
  /** Price of one million completion tokens. */
  outputPerMillion: number
  /** Currency of the prices. Default `USD`. */
  currency?: string
}

export interface GpuCost {
  /** GPUs serving each endpoint (tensor/pipeline parallel size). */
  count: number
  /** Price of one GPU for one hour. */
  pricePerHour: number
  /** Currency of the price. Default `USD`. */
  currency?: string
}
