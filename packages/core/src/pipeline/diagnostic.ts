import { DataflowError, type ErrorCode } from '@dataflow/sdk'

/** One problem found in a pipeline file, with where it is and what to do. */
export interface Diagnostic {
  /** Absolute path of the pipeline file; for command-line problems, the argument (`--set a.b=c`). */
  file: string
  /** 1-based; 0 when the problem has no place in the file (a missing file, a bad `--set`). */
  line: number
  /** 1-based; 0 when `line` is 0. */
  column: number
  code: ErrorCode
  message: string
  /** What to do about it. */
  hint?: string
}

/** Orders diagnostics: those without a position first, then by file, line and column (stable for equal positions). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    if ((a.line === 0) !== (b.line === 0)) return a.line === 0 ? -1 : 1
    if (a.file !== b.file) return a.file < b.file ? -1 : 1
    return a.line - b.line || a.column - b.column
  })
}

/**
 * Everything wrong with a pipeline file, reported at once. Its `code` is the code of the first
 * diagnostic (by position); `diagnostics` lists them all.
 */
export class PipelineError extends DataflowError {
  readonly diagnostics: readonly Diagnostic[]

  constructor(diagnostics: readonly Diagnostic[]) {
    const sorted = sortDiagnostics(diagnostics)
    const first = sorted[0]
    if (first === undefined) throw new RangeError('a PipelineError needs at least one diagnostic')
    const lines = sorted.map((diagnostic) => `${where(diagnostic)}  ${diagnostic.code}  ${diagnostic.message}`)
    const heading = sorted.length === 1 ? '' : `${sorted.length} problems in the pipeline:\n`
    super(first.code, heading + lines.join('\n'), {
      ...(sorted.length === 1 && first.hint !== undefined ? { hint: first.hint } : {}),
      details: { diagnostics: sorted },
    })
    this.name = 'PipelineError'
    this.diagnostics = sorted
  }
}

/** `file:line:column`, or just `file` when there is no position. */
export function where(diagnostic: Pick<Diagnostic, 'file' | 'line' | 'column'>): string {
  return diagnostic.line === 0 ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`
}
