/** One command-line flag: typed so that help, parsing and the options object cannot drift. */
export interface FlagSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** Shown in help, e.g. `<dir>`. */
  value?: string
  description: string
}

export type FlagTable = Record<string, FlagSpec>

export const COMMON_FLAGS = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
  set: {
    type: 'string',
    multiple: true,
    value: '<path=value>',
    description: 'Override a pipeline setting, e.g. --set source.with.metafile=data/M.json (repeatable).',
  },
} as const satisfies FlagTable

/** Flags of `run` and `rerun` that shape how the run executes. */
const EXECUTION_FLAGS = {
  cache: {
    type: 'string',
    value: '<mode>',
    description:
      'Request cache shared across runs: read-write (default), read-only, refresh (ask again, store the new answers) or off.',
  },
  'cache-path': {
    type: 'string',
    value: '<file>',
    description:
      'Request cache file (default $DATAFLOW_CACHE_DIR/requests.sqlite, else $XDG_CACHE_HOME/dataflow/requests.sqlite, else ~/.cache/dataflow/requests.sqlite).',
  },
  'max-error-rate': {
    type: 'string',
    value: '<0..1>',
    description: 'Exit 1 when more than this share of items end as errors (default: run.maxErrorRate, 0.05).',
  },
  'log-level': {
    type: 'string',
    value: '<level>',
    description: 'Terminal log level: trace, debug, info, warn, error, silent (default info).',
  },
  quiet: { type: 'boolean', short: 'q', description: 'No terminal log or progress; only the final summary.' },
  wide: { type: 'boolean', description: 'Print the full end-of-run tables (wider than 100 columns).' },
  'progress-every': {
    type: 'string',
    value: '<seconds>',
    description:
      'When stderr is not a terminal (nohup, Slurm, containers): a progress line this often on stderr and in run.log (default 30; 0: none). status.json is rewritten every 5 s either way.',
  },
  'metrics-port': {
    type: 'string',
    value: '<[host:]port>',
    description:
      'Serve Prometheus metrics (dataflow_*) at http://<host>:<port>/metrics while the run goes on (default: off; all interfaces unless a host is given; 0 picks a free port).',
  },
  'drain-timeout': {
    type: 'string',
    value: '<seconds>',
    description:
      'After Ctrl-C, how long items in flight may finish before they are recorded as interrupted (default 30).',
  },
} as const satisfies FlagTable

/** Flags of a distributed run (`run --queue`): see docs/guides/distributed.md. */
export const QUEUE_RUN_FLAGS = {
  queue: {
    type: 'string',
    value: '<redis://host:port[/db]>',
    description:
      'Distributed run: cut the input into chunks on this Redis queue for `dataflow worker` processes; --out must be on a filesystem every worker sees.',
  },
  'chunk-size': {
    type: 'string',
    value: '<n>',
    description: 'With --queue: records per chunk (default 2000).',
  },
} as const satisfies FlagTable

export const RUN_FLAGS = {
  ...COMMON_FLAGS,
  out: {
    type: 'string',
    short: 'o',
    value: '<dir>',
    description:
      'Run directory (default runs/<name>-<timestamp>). Relative sink paths land inside it. A directory holding a run journal is resumed.',
  },
  resume: {
    type: 'string',
    value: '<run dir>',
    description:
      'Continue the run in this directory: finished items are kept, finished nodes reused, sinks continued exactly once.',
  },
  limit: { type: 'string', value: '<n>', description: 'Process at most n input items.' },
  shard: {
    type: 'string',
    value: '<i/n>',
    description: 'Take shard i of n (0-based) so several machines share one dataset.',
  },
  'no-journal': {
    type: 'boolean',
    description: 'Keep no run journal: the run cannot be resumed, re-run or inspected (saves ~20 µs per item).',
  },
  record: {
    type: 'string',
    value: '<file>',
    description: 'Store every model request and its answer in this file (JSON Lines), for --replay and plugin tests.',
  },
  replay: {
    type: 'string',
    value: '<file>',
    description:
      'Answer every model request from a --record file, without a server; a request it does not hold is an error naming it.',
  },
  ...EXECUTION_FLAGS,
  ...QUEUE_RUN_FLAGS,
} as const satisfies FlagTable

export const RERUN_FLAGS = {
  ...COMMON_FLAGS,
  from: {
    type: 'string',
    value: '<node>',
    description: 'Compute this node and every node after it again (e.g. --from judge re-judges).',
  },
  where: {
    type: 'string',
    value: '<expr>',
    description:
      'Only items whose outcome matches, e.g. "outcome == \'error\'" (same scope as sink `when`). Default: every finished item.',
  },
  pipeline: {
    type: 'string',
    value: '<file>',
    description: 'Pipeline file to use (default: the file the run was started from, with its --set overrides).',
  },
  ...EXECUTION_FLAGS,
} as const satisfies FlagTable

export const INSPECT_FLAGS = {
  help: COMMON_FLAGS.help,
  item: {
    type: 'string',
    value: '<id>',
    description:
      "One item's full trace: each node's output, status, attempts and timing, why it was rejected or failed.",
  },
  json: { type: 'boolean', description: 'Machine-readable JSON instead of tables.' },
} as const satisfies FlagTable

export const MERGE_FLAGS = {
  help: COMMON_FLAGS.help,
  out: {
    type: 'string',
    value: '<file>',
    description: 'Where to write the combined report as JSON (default merged-report.json in the current folder).',
  },
  json: { type: 'boolean', description: 'Print the combined report as JSON instead of the summary.' },
} as const satisfies FlagTable

export const REPORT_FLAGS = {
  help: COMMON_FLAGS.help,
} as const satisfies FlagTable

export const GRAPH_FLAGS = {
  ...COMMON_FLAGS,
  format: { type: 'string', value: '<mermaid|dot>', description: 'Output format (default mermaid).' },
} as const satisfies FlagTable

/** Renders the flag table for --help. */
export function formatFlags(table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const left = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`
    return [left, spec.description] as const
  })
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return rows.map(([left, text]) => `  ${left.padEnd(width)}${text}`).join('\n')
}

export const WORKER_FLAGS = {
  ...COMMON_FLAGS,
  queue: QUEUE_RUN_FLAGS.queue,
  concurrency: { type: 'string', value: '<n>', description: 'Chunks this worker runs at once (default 1).' },
  lease: {
    type: 'string',
    value: '<seconds>',
    description:
      "Chunk lease (default 30): renewed every half lease while the chunk runs; a dead worker's chunk is taken over after about two leases.",
  },
  name: { type: 'string', value: '<name>', description: 'Name shown by `dataflow status` (default host:pid).' },
  'metrics-port': {
    type: 'string',
    value: '<[host:]port>',
    description:
      'Serve Prometheus metrics (dataflow_*) of the chunks this worker runs at http://<host>:<port>/metrics (default: off; all interfaces unless a host is given).',
  },
  cache: EXECUTION_FLAGS.cache,
  'cache-path': EXECUTION_FLAGS['cache-path'],
  'log-level': EXECUTION_FLAGS['log-level'],
  'drain-timeout': {
    type: 'string',
    value: '<seconds>',
    description:
      'After SIGTERM/SIGINT, how long the chunks in hand may run on before they are handed back to the queue (default 300).',
  },
} as const satisfies FlagTable

export const STATUS_FLAGS = {
  help: COMMON_FLAGS.help,
  queue: QUEUE_RUN_FLAGS.queue,
  'retry-failed': { type: 'boolean', description: 'Put every failed chunk back on the queue (attempts start again).' },
  json: { type: 'boolean', description: 'Machine-readable JSON.' },
} as const satisfies FlagTable
