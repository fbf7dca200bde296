import type { CompiledExpression, PathReference } from './compiled-expression.js'
import type { ExpressionNode } from './expression-node.js'
import { expressionError } from './expression-error.js'
import { readPath } from '@dataflow/sdk'
import { evaluateExpression, isTruthy } from './evaluate-expression.js'
import { parseExpression } from './parse-expression.js'
import { tokenize } from './tokenize.js'

/**
 * Compiles a `when` expression such as `route.domain in ['document', 'ui'] and item.task == null`.
 * Throws DATAFLOW_EXPRESSION_INVALID with `details.offset` (0-based) and `details.column` (1-based).
 */
export function compileExpression(text: string): CompiledExpression {
  const tree = parseExpression(text)
  const references: PathReference[] = []
  collectReferences(tree, references)
  return {
    source: text,
    paths: [...new Set(references.map((reference) => reference.path))],
    references,
    evaluate: (scope) => evaluateExpression(tree, scope),
    test: (scope) => isTruthy(evaluateExpression(tree, scope)),
  }
}

/**
 * Compiles a bare path such as `summary.caption` (path config fields, sink `select`).
 * Evaluates to the value at the path, or undefined.
 */
export function compilePath(text: string): CompiledExpression {
  const tokens = tokenize(text)
  const [first, second] = tokens
  if (first === undefined || first.kind !== 'path' || first.segments === undefined) {
    throw expressionError(text, first?.offset ?? 0, 'expected a path', 'paths look like item.image or summary.caption')
  }
  if (second !== undefined && second.kind !== 'end') {
    throw expressionError(
      text,
      second.offset,
      `unexpected "${second.text}" after the path`,
      'a path field takes one path, not an expression',
    )
  }
  const segments = first.segments
  const reference: PathReference = { path: first.text, segments, offset: first.offset }
  return {
    source: text,
    paths: [first.text],
    references: [reference],
    evaluate: (scope) => readPath(scope, segments),
    test: (scope) => isTruthy(readPath(scope, segments)),
  }
}

function collectReferences(node: ExpressionNode, into: PathReference[]): void {
  switch (node.type) {
    case 'path':
      into.push({ path: node.path, segments: node.segments, offset: node.offset })
      return
    case 'array':
      node.elements.forEach((element) => collectReferences(element, into))
      return
    case 'not':
      collectReferences(node.operand, into)
      return
    case 'logical':
      node.operands.forEach((operand) => collectReferences(operand, into))
      return
    case 'compare':
      collectReferences(node.left, into)
      collectReferences(node.right, into)
      return
    case 'literal':
      return
  }
}
