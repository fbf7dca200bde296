import type { Expression, ExpressionCompiler, NodeInput } from '@dataflow/sdk'
import { compileExpression } from './compile-expression.js'

/**
 * The compiler nodes get as `context.compileExpression`: the `when` language, evaluated against
 * the node's view of one item (its `item` and the outputs of the nodes upstream of it).
 */
export const compileNodeExpression: ExpressionCompiler = (source: string): Expression => {
  const compiled = compileExpression(source)
  const roots = [...new Set(compiled.references.map((reference) => reference.segments[0]!))]
  const scopeOf = (input: NodeInput) => {
    const scope: Record<string, unknown> = {}
    for (const root of roots) scope[root] = input.get(root)
    return scope
  }
  return {
    source,
    paths: compiled.paths,
    evaluate: (input) => compiled.evaluate(scopeOf(input)),
    test: (input) => compiled.test(scopeOf(input)),
  }
}
