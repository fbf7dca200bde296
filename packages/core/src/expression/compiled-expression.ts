/** A parsed `when` (or path) expression, safe to evaluate: no eval, no prototype access. */
export interface CompiledExpression {
  /** The text as written in the pipeline file. */
  readonly source: string
  /** Every path the expression reads, e.g. `route.domain`, `item.task` (each once, in order of appearance). */
  readonly paths: readonly string[]
  /** Every occurrence of a path with its 0-based offset in `source` (for error positions). */
  readonly references: readonly PathReference[]
  /** Evaluates against a scope object (`item`, node outputs, and for sinks `outcome`, `reason`, `error`). */
  evaluate(scope: Readonly<Record<string, unknown>>): unknown
  /** Evaluates and applies the language's truthiness: what a `when` means. */
  test(scope: Readonly<Record<string, unknown>>): boolean
}

/** One path read by an expression. */
export interface PathReference {
  /** The path as written, e.g. `route.domain`. */
  readonly path: string
  /** Its segments, e.g. `['route', 'domain']`. */
  readonly segments: readonly string[]
  /** 0-based offset of the path in the expression text. */
  readonly offset: number
}
