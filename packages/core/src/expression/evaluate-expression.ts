import { readPath } from '@dataflow/sdk'
import type { ExpressionNode } from './expression-node.js'

/**
 * Evaluates a parsed expression. Paths read own properties only (never the prototype chain);
 * a missing step gives `undefined`, which equals `null`.
 */
export function evaluateExpression(node: ExpressionNode, scope: Readonly<Record<string, unknown>>): unknown {
  switch (node.type) {
    case 'literal':
      return node.value
    case 'path':
      return readPath(scope, node.segments)
    case 'array':
      return node.elements.map((element) => evaluateExpression(element, scope))
    case 'not':
      return !isTruthy(evaluateExpression(node.operand, scope))
    case 'logical':
      if (node.operator === 'and') return node.operands.every((operand) => isTruthy(evaluateExpression(operand, scope)))
      return node.operands.some((operand) => isTruthy(evaluateExpression(operand, scope)))
    case 'compare': {
      const left = evaluateExpression(node.left, scope)
      const right = evaluateExpression(node.right, scope)
      switch (node.operator) {
        case '==':
          return isEqual(left, right)
        case '!=':
          return !isEqual(left, right)
        case 'in':
          return contains(right, left)
        case 'not in':
          return !contains(right, left)
        default:
          return compareOrdered(node.operator, left, right)
      }
    }
  }
}

/** false, 0, '', null and missing values are false; everything else (including [] and {}) is true. */
export function isTruthy(value: unknown): boolean {
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined && !Number.isNaN(value)
}

/** JSON equality: deep for arrays and plain objects; null equals undefined. */
function isEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true
  if (left == null || right == null) return left == null && right == null
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false
    return left.every((value, index) => isEqual(value, right[index]))
  }
  if (typeof left === 'object' && typeof right === 'object') {
    const leftKeys = Object.keys(left)
    const rightKeys = Object.keys(right)
    if (leftKeys.length !== rightKeys.length) return false
    return leftKeys.every(
      (key) =>
        Object.hasOwn(right, key) &&
        isEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
    )
  }
  return false
}

/** `needle in haystack`: an element of an array, or a substring of a string. */
function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((element) => isEqual(element, needle))
  if (typeof haystack === 'string' && typeof needle === 'string') return haystack.includes(needle)
  return false
}

/** Orders two numbers or two strings; any other pair compares false (no coercion). */
function compareOrdered(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string')
  if (!comparable) return false
  const a = left
  const b = right
  switch (operator) {
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
  }
}
