import { DataflowError } from '@dataflow/sdk'

/**
 * Injected faults. Rates are probabilities in [0, 1], drawn per request from `seed` and the
 * request's arrival order, so a run with the same seed and order fails the same requests.
 */
export interface Faults {
  /** Share of requests answered 500 at once. Default 0. */
  errorRate: number
  /** Share of requests answered 429 at once, with a `Retry-After` header. Default 0. */
  rateLimitRate: number
  /** `Retry-After` value of a 429, in simulated seconds (scaled by `timeScale`). Default 1. */
  retryAfterSeconds: number
  /** Share of requests that never answer until the client disconnects. Default 0. */
  hangRate: number
  /** Share of requests answered 200 with a truncated, invalid JSON body after their service time. Default 0. */
  malformedRate: number
  /** Share of requests whose prefill and decode run `slowFactor` times slower. Default 0. */
  slowRate: number
  /** How much slower a slow request runs. Default 10. */
  slowFactor: number
  /** Answer 503 when a request would wait and this many already wait; `null` = unlimited. Default null. */
  maxWaiting: number | null
}

/** Server and timing model settings; every field has a vLLM-like default. */
export interface SimulatorSettings {
  /** TCP port; 0 picks a free port. Default 8000 for the CLI, 0 for `startSimulator`. */
  port: number
  /** Interface to listen on. Default `127.0.0.1`. */
  host: string
  /** Most requests decoding at once (vLLM `--max-num-seqs`); the rest wait in FIFO order. Default 256. */
  maxSeqs: number
  /** Multiplies every simulated duration (0.01 runs 100x faster). Default 1. */
  timeScale: number
  /** Served model names; empty = accept any model name. Default []. */
  models: string[]
  /** Seed for answers and faults. Default 0. */
  seed: number
  /** Prefill cost in simulated ms per 1000 uncached prompt tokens. Default 80. */
  prefillMsPer1kTokens: number
  /** Decode step time in simulated ms with one running request. Default 15. */
  baseStepMs: number
  /** Step growth with load: step = baseStepMs * (1 + stepSlope * running / maxSeqs). Default 1. */
  stepSlope: number
  /** Mean length of a plain-text answer in tokens (actual: 0.5x to 1.5x, deterministic). Default 200. */
  meanOutputTokens: number
  /** Probability that an enum of at most 3 values yields its first value. Default 0.92. */
  enumFirstProb: number
  /** Side of an image patch in pixels: image tokens = ceil(w / p) * ceil(h / p). Default 28. */
  imagePatchPx: number
  /** Tokens of an image given by http(s) URL (its pixels are not fetched). Default 1024. */
  urlImageTokens: number
  /** Tokens of a `video_url` part. Default 4096. */
  videoTokens: number
  /** Context length: prompt + max tokens above it is a 400, as in vLLM. Default 32768. */
  maxModelLen: number
  /** Capacity of the prefix cache in tokens (LRU eviction). Default 1000000. */
  prefixCacheTokens: number
}

/** Options of `startSimulator`: any subset of the settings, plus initial faults. */
export interface SimulatorOptions extends Partial<SimulatorSettings> {
  /** Initial fault rates; change them later with `setFaults`. Default: no faults. */
  faults?: Partial<Faults>
}

export interface ResolvedOptions extends SimulatorSettings {
  faults: Faults
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  hangRate: 0,
  malformedRate: 0,
  slowRate: 0,
  slowFactor: 10,
  maxWaiting: null,
})

export const DEFAULT_SETTINGS: Readonly<SimulatorSettings> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  maxSeqs: 256,
  timeScale: 1,
  models: [],
  seed: 0,
  prefillMsPer1kTokens: 80,
  baseStepMs: 15,
  stepSlope: 1,
  meanOutputTokens: 200,
  enumFirstProb: 0.92,
  imagePatchPx: 28,
  urlImageTokens: 1024,
  videoTokens: 4096,
  maxModelLen: 32768,
  prefixCacheTokens: 1_000_000,
})

type NumericSetting = {
  [K in keyof SimulatorSettings]: SimulatorSettings[K] extends number ? K : never
}[keyof SimulatorSettings]

/** Smallest allowed value and whether the setting must be an integer. */
const NUMERIC_RULES: Record<NumericSetting, { min: number; integer: boolean; max?: number }> = {
  port: { min: 0, max: 65535, integer: true },
  maxSeqs: { min: 1, integer: true },
  timeScale: { min: Number.MIN_VALUE, integer: false },
  seed: { min: 0, max: 0xffffffff, integer: true },
  prefillMsPer1kTokens: { min: 0, integer: false },
  baseStepMs: { min: Number.MIN_VALUE, integer: false },
  stepSlope: { min: 0, integer: false },
  meanOutputTokens: { min: 1, integer: false },
  enumFirstProb: { min: 0, max: 1, integer: false },
  imagePatchPx: { min: 1, integer: true },
  urlImageTokens: { min: 1, integer: true },
  videoTokens: { min: 1, integer: true },
  maxModelLen: { min: 1, integer: true },
  prefixCacheTokens: { min: 0, integer: true },
}

function checkNumber(name: string, value: unknown, rule: { min: number; max?: number; integer: boolean }): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value))
  if (!ok) {
    const range = rule.max === undefined ? `>= ${rule.min}` : `between ${rule.min} and ${rule.max}`
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      `Simulator option ${name} must be ${rule.integer ? 'an integer' : 'a number'} ${range}, got ${JSON.stringify(value)}.`,
    )
  }
  return value
}

/** Checks a partial fault set (from options, the CLI or `POST /sim/faults`) and returns it unchanged. */
export function validateFaults(faults: unknown): Partial<Faults> {
  if (typeof faults !== 'object' || faults === null || Array.isArray(faults)) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', 'Faults must be a JSON object such as {"errorRate": 0.1}.')
  }
  const known = new Set(Object.keys(DEFAULT_FAULTS))
  for (const [key, value] of Object.entries(faults)) {
    if (!known.has(key)) {
      throw new DataflowError(
        'DATAFLOW_CONFIG_INVALID',
        `Unknown fault "${key}"; known faults: ${[...known].join(', ')}.`,
      )
    }
    if (key === 'maxWaiting') {
      if (value !== null) checkNumber('faults.maxWaiting', value, { min: 0, integer: true })
    } else if (key === 'slowFactor') {
      checkNumber('faults.slowFactor', value, { min: 1, integer: false })
    } else if (key === 'retryAfterSeconds') {
      checkNumber('faults.retryAfterSeconds', value, { min: 0, integer: false })
    } else {
      checkNumber(`faults.${key}`, value, { min: 0, max: 1, integer: false })
    }
  }
  return faults
}

/** Fills in defaults and checks every value; throws DATAFLOW_CONFIG_INVALID naming the bad option. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const settings: SimulatorSettings = { ...DEFAULT_SETTINGS, models: [...DEFAULT_SETTINGS.models] }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'faults') continue
    if (key === 'host') {
      if (typeof value !== 'string' || value === '')
        throw new DataflowError('DATAFLOW_CONFIG_INVALID', 'Simulator option host must be a non-empty string.')
      settings.host = value
    } else if (key === 'models') {
      if (!Array.isArray(value) || !value.every((m) => typeof m === 'string' && m !== '')) {
        throw new DataflowError(
          'DATAFLOW_CONFIG_INVALID',
          'Simulator option models must be a list of non-empty model names.',
        )
      }
      settings.models = [...new Set(value as string[])]
    } else if (key in NUMERIC_RULES) {
      settings[key as NumericSetting] = checkNumber(key, value, NUMERIC_RULES[key as NumericSetting])
    } else {
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `Unknown simulator option "${key}".`, {
        hint: 'See the options table in tools/inference-sim/README.md.',
      })
    }
  }
  const faults = { ...DEFAULT_FAULTS, ...validateFaults(options.faults ?? {}) }
  return { ...settings, faults }
}
