/** Where an error comes from; decides how it is reported and whether a run can go on. */
export type ErrorCategory = 'config' | 'plugin' | 'inference' | 'data' | 'internal'

/**
 * The closed set of error codes. Each has a category and a default `retryable` flag.
 * Adding a code is an API change: document it in docs/reference/error-codes.md (generated).
 */
export const ERROR_CODES = {
  DATAFLOW_YAML_SYNTAX: { category: 'config', retryable: false, summary: 'The pipeline file is not valid YAML.' },
  DATAFLOW_CONFIG_INVALID: {
    category: 'config',
    retryable: false,
    summary: 'A pipeline or node setting does not match its schema.',
  },
  DATAFLOW_GRAPH_INVALID: {
    category: 'config',
    retryable: false,
    summary: 'The node graph has unknown needs, a cycle or unreachable parts.',
  },
  DATAFLOW_EXPRESSION_INVALID: {
    category: 'config',
    retryable: false,
    summary: 'A `when` or path expression does not parse or reads a field nothing writes.',
  },
  DATAFLOW_MODEL_UNKNOWN: {
    category: 'config',
    retryable: false,
    summary: 'A node names a model that is not declared under `models:`.',
  },
  DATAFLOW_ENV_MISSING: {
    category: 'config',
    retryable: false,
    summary: 'A ${VAR} in the pipeline file has no value and no default.',
  },
  DATAFLOW_USAGE: { category: 'config', retryable: false, summary: 'The command line is not valid.' },
  DATAFLOW_RESUME_MISMATCH: {
    category: 'config',
    retryable: false,
    summary: 'The run directory does not match this pipeline or input.',
  },
  DATAFLOW_PLUGIN_NOT_FOUND: { category: 'plugin', retryable: false, summary: 'A `uses:` package cannot be resolved.' },
  DATAFLOW_PLUGIN_INVALID: {
    category: 'plugin',
    retryable: false,
    summary: 'A plugin package does not default-export a node made with defineNode.',
  },
  DATAFLOW_NODE_FAILED: {
    category: 'plugin',
    retryable: false,
    summary: 'A node threw an unexpected error for one item.',
  },
  DATAFLOW_INFERENCE_FAILED: {
    category: 'inference',
    retryable: true,
    summary: 'The model server answered with a server error.',
  },
  DATAFLOW_INFERENCE_TIMEOUT: {
    category: 'inference',
    retryable: true,
    summary: 'The model server did not answer in time.',
  },
  DATAFLOW_INFERENCE_RATE_LIMITED: {
    category: 'inference',
    retryable: true,
    summary: 'The model server asked us to slow down (429).',
  },
  DATAFLOW_INFERENCE_UNAVAILABLE: {
    category: 'inference',
    retryable: true,
    summary: 'The model server could not be reached or is overloaded (503).',
  },
  DATAFLOW_INFERENCE_REJECTED: {
    category: 'inference',
    retryable: false,
    summary: 'The model server refused the request (4xx): fix the request or model settings.',
  },
  DATAFLOW_REPLAY_MISS: {
    category: 'inference',
    retryable: false,
    summary: 'A replayed run (--replay) asked a request that the recording does not hold.',
  },
  DATAFLOW_OUTPUT_INVALID: {
    category: 'inference',
    retryable: false,
    summary: 'The model answer could not be parsed or did not match the expected schema.',
  },
  DATAFLOW_MEDIA_INVALID: {
    category: 'data',
    retryable: false,
    summary: 'An image or video could not be decoded or failed validation.',
  },
  DATAFLOW_INPUT_INVALID: { category: 'data', retryable: false, summary: 'An input record is malformed.' },
  DATAFLOW_INPUT_NOT_FOUND: { category: 'data', retryable: false, summary: 'An input file does not exist.' },
  DATAFLOW_RUN_ABORTED: {
    category: 'internal',
    retryable: false,
    summary: 'The run was stopped by a guard (for example, too many errors).',
  },
  DATAFLOW_INTERRUPTED: {
    category: 'internal',
    retryable: true,
    summary: 'The run was interrupted before this item finished; resume the run to finish it.',
  },
  DATAFLOW_INTERNAL: {
    category: 'internal',
    retryable: false,
    summary: 'A bug in dataflow: please report it with the run directory.',
  },
} as const satisfies Record<string, { category: ErrorCategory; retryable: boolean; summary: string }>

export type ErrorCode = keyof typeof ERROR_CODES

const MARKER = Symbol.for('dataflow.error')

export interface DataflowErrorOptions {
  /** What the user should do next; printed after the message. */
  hint?: string
  /** Overrides the code's default. */
  retryable?: boolean
  /** JSON-serialisable facts for the error record (raw model answer, HTTP status, ...). */
  details?: Record<string, unknown>
  cause?: unknown
}

/** The one error class of dataflow: a stable code, a category and whether retrying can help. */
export class DataflowError extends Error {
  readonly [MARKER] = true
  readonly code: ErrorCode
  readonly category: ErrorCategory
  readonly retryable: boolean
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: DataflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DataflowError'
    this.code = code
    this.category = ERROR_CODES[code].category
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable
    this.hint = options.hint
    this.details = options.details
  }

  /** The JSON shape used in error records and reports (never includes a stack). */
  toJSON(): SerializedError {
    return {
      code: this.code,
      category: this.category,
      message: this.message,
      retryable: this.retryable,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

export interface SerializedError {
  code: ErrorCode
  category: ErrorCategory
  message: string
  retryable: boolean
  hint?: string
  details?: Record<string, unknown>
}

/** True for any DataflowError, even one from another copy of this package. */
export function isDataflowError(value: unknown): value is DataflowError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true
}

/** Turns anything thrown into a DataflowError, keeping the original as `cause`. */
export function toDataflowError(value: unknown, fallback: ErrorCode = 'DATAFLOW_NODE_FAILED'): DataflowError {
  if (isDataflowError(value)) return value
  if (value instanceof Error) {
    if (value.name === 'AbortError') return new DataflowError('DATAFLOW_INTERRUPTED', value.message, { cause: value })
    return new DataflowError(fallback, value.message, { cause: value })
  }
  return new DataflowError(fallback, typeof value === 'string' ? value : JSON.stringify(value))
}
