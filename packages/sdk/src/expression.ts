import type { NodeInput } from './item.js'

/**
 * An expression in the language of `when` (`route.domain in ['ui', 'code'] and item.lang == 'en'`),
 * compiled by the engine and handed to a node through {@link NodeContext.compileExpression}: the
 * engine owns the language, so a node evaluates exactly what `when` would.
 */
export interface Expression {
  /** The text as written. */
  readonly source: string
  /** Every path it reads (`route.domain`, `item.lang`), each once, in order of appearance. */
  readonly paths: readonly string[]
  /** The value of the expression for one item. */
  evaluate(input: NodeInput): unknown
  /** The value with the language's truthiness: what a `when` means. */
  test(input: NodeInput): boolean
}

/**
 * Compiles an expression; throws a DataflowError `DATAFLOW_EXPRESSION_INVALID` (with
 * `details.column`) when it does not parse.
 */
export type ExpressionCompiler = (source: string) => Expression
