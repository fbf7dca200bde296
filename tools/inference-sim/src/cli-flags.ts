import { parseArgs } from 'node:util'
import { DataflowError } from '@dataflow/sdk'
import {
  DEFAULT_FAULTS,
  DEFAULT_SETTINGS,
  type Faults,
  type SimulatorOptions,
  type SimulatorSettings,
} from './options.js'

/** One command-line flag, bound to a setting or a fault so flags and options cannot drift. */
export interface FlagSpec {
  flag: string
  target: { setting: keyof SimulatorSettings } | { fault: keyof Faults }
  kind: 'number' | 'string' | 'strings'
  description: string
}

/** The CLI listens on 8000 like `vllm serve`; `startSimulator` defaults to a random port. */
export const CLI_DEFAULT_PORT = 8000

export const FLAGS: readonly FlagSpec[] = [
  { flag: 'port', target: { setting: 'port' }, kind: 'number', description: 'TCP port (0 = pick a free one)' },
  { flag: 'host', target: { setting: 'host' }, kind: 'string', description: 'Interface to listen on' },
  {
    flag: 'model',
    target: { setting: 'models' },
    kind: 'strings',
    description: 'Served model name; repeat for several. None = accept any name',
  },
  {
    flag: 'max-seqs',
    target: { setting: 'maxSeqs' },
    kind: 'number',
    description: 'Most requests decoding at once (vLLM --max-num-seqs); the rest queue FIFO',
  },
  {
    flag: 'time-scale',
    target: { setting: 'timeScale' },
    kind: 'number',
    description: 'Multiplies every simulated duration (0.01 = 100x faster)',
  },
  { flag: 'seed', target: { setting: 'seed' }, kind: 'number', description: 'Seed of answers and faults' },
  {
    flag: 'prefill-ms-per-1k',
    target: { setting: 'prefillMsPer1kTokens' },
    kind: 'number',
    description: 'Prefill ms per 1000 uncached prompt tokens',
  },
  {
    flag: 'base-step-ms',
    target: { setting: 'baseStepMs' },
    kind: 'number',
    description: 'Decode step ms with one request running',
  },
  {
    flag: 'step-slope',
    target: { setting: 'stepSlope' },
    kind: 'number',
    description: 'step = base-step-ms * (1 + step-slope * running / max-seqs)',
  },
  {
    flag: 'mean-output-tokens',
    target: { setting: 'meanOutputTokens' },
    kind: 'number',
    description: 'Mean plain-text answer length (0.5x..1.5x, deterministic)',
  },
  {
    flag: 'enum-first-prob',
    target: { setting: 'enumFirstProb' },
    kind: 'number',
    description: 'Chance that an enum of <= 3 values yields its first value',
  },
  {
    flag: 'image-patch-px',
    target: { setting: 'imagePatchPx' },
    kind: 'number',
    description: 'Image tokens = ceil(w / p) * ceil(h / p)',
  },
  {
    flag: 'url-image-tokens',
    target: { setting: 'urlImageTokens' },
    kind: 'number',
    description: 'Tokens of an image given by http(s) URL (not fetched)',
  },
  {
    flag: 'video-tokens',
    target: { setting: 'videoTokens' },
    kind: 'number',
    description: 'Tokens of a video_url part',
  },
  {
    flag: 'max-model-len',
    target: { setting: 'maxModelLen' },
    kind: 'number',
    description: 'Context length; longer requests get 400',
  },
  {
    flag: 'prefix-cache-tokens',
    target: { setting: 'prefixCacheTokens' },
    kind: 'number',
    description: 'Prefix cache capacity in tokens (LRU)',
  },
  { flag: 'error-rate', target: { fault: 'errorRate' }, kind: 'number', description: 'Share of requests answered 500' },
  {
    flag: 'rate-limit-rate',
    target: { fault: 'rateLimitRate' },
    kind: 'number',
    description: 'Share of requests answered 429',
  },
  {
    flag: 'retry-after',
    target: { fault: 'retryAfterSeconds' },
    kind: 'number',
    description: 'Retry-After of a 429 in simulated seconds',
  },
  {
    flag: 'hang-rate',
    target: { fault: 'hangRate' },
    kind: 'number',
    description: 'Share of requests never answered (until the client disconnects)',
  },
  {
    flag: 'malformed-rate',
    target: { fault: 'malformedRate' },
    kind: 'number',
    description: 'Share of requests answered 200 with truncated JSON',
  },
  {
    flag: 'slow-rate',
    target: { fault: 'slowRate' },
    kind: 'number',
    description: 'Share of requests running slow-factor times slower',
  },
  { flag: 'slow-factor', target: { fault: 'slowFactor' }, kind: 'number', description: 'Slowdown of a slow request' },
  {
    flag: 'max-waiting',
    target: { fault: 'maxWaiting' },
    kind: 'number',
    description: 'Answer 503 when this many requests already wait (none = unlimited)',
  },
]

function defaultOf(spec: FlagSpec): string {
  if ('fault' in spec.target) {
    const value = DEFAULT_FAULTS[spec.target.fault]
    return value === null ? 'none' : String(value)
  }
  if (spec.target.setting === 'port') return String(CLI_DEFAULT_PORT)
  const value = DEFAULT_SETTINGS[spec.target.setting]
  return Array.isArray(value) ? (value.length === 0 ? 'any name' : value.join(', ')) : String(value)
}

export const HELP_TEXT = [
  'dataflow-sim: a TEST DOUBLE of a vLLM OpenAI-compatible server. No model runs; answers are simulated.',
  '',
  'Usage: dataflow-sim [--port 8000] [--max-seqs 256] [--model NAME ...] [flags]',
  '',
  ...FLAGS.map(
    (f) =>
      `  --${`${f.flag} <${f.kind === 'number' ? 'n' : 'text'}>`.padEnd(28)} ${f.description} (default: ${defaultOf(f)})`,
  ),
  `  --${'help'.padEnd(28)} Show this help`,
  '',
  'Routes: GET /v1/models, POST /v1/chat/completions, GET /metrics, GET /health,',
  '        GET /sim/stats, POST /sim/reset, GET|POST /sim/faults',
].join('\n')

/** The flags table of the README, generated from `FLAGS` (a test keeps the README in sync). */
export function flagTableMarkdown(): string {
  const rows = FLAGS.map((f) => {
    const option = 'fault' in f.target ? `faults.${f.target.fault}` : f.target.setting
    return `| \`--${f.flag}\` | \`${option}\` | ${defaultOf(f)} | ${f.description} |`
  })
  return ['| Flag | Option | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

function toNumber(flag: string, value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value)
  if (!Number.isFinite(number)) throw new DataflowError('DATAFLOW_USAGE', `--${flag} needs a number, got "${value}".`)
  return number
}

/** Parses the command line into options; throws DATAFLOW_USAGE on unknown or bad flags. */
export function parseCliArgs(argv: readonly string[]): { help: boolean; options: SimulatorOptions } {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(FLAGS.map((f) => [f.flag, { type: 'string' as const, multiple: f.kind === 'strings' }])),
      },
    })
  } catch (error) {
    throw new DataflowError('DATAFLOW_USAGE', `${(error as Error).message}. Run dataflow-sim --help for the flags.`)
  }
  const settings: Record<string, unknown> = { port: CLI_DEFAULT_PORT }
  const faults: Record<string, unknown> = {}
  for (const spec of FLAGS) {
    const raw = parsed.values[spec.flag]
    if (raw === undefined) continue
    let value: unknown
    if (spec.kind === 'strings') value = raw
    else if (spec.kind === 'string') value = raw
    else if (spec.flag === 'max-waiting' && raw === 'none') value = null
    else value = toNumber(spec.flag, raw as string)
    if ('fault' in spec.target) faults[spec.target.fault] = value
    else settings[spec.target.setting] = value
  }
  return { help: parsed.values.help === true, options: { ...settings, faults } }
}
