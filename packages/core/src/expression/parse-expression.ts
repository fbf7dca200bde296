import type { CompareOperator, ExpressionNode } from './expression-node.js'
import { expressionError } from './expression-error.js'
import { tokenize, type Token } from './tokenize.js'

/** Deepest nesting of parentheses, arrays and negations. */
export const MAX_EXPRESSION_DEPTH = 64

/**
 * Parses a `when` expression. Precedence, loosest first: `or`/`||`, `and`/`&&`, `not`/`!`,
 * comparisons (`== != < <= > >= in`, `not in`; not chainable), then literals, paths,
 * arrays and parentheses.
 */
export function parseExpression(text: string): ExpressionNode {
  const tokens = tokenize(text)
  let index = 0
  let depth = 0

  const peek = (): Token => tokens[index]!
  const next = (): Token => tokens[index++]!
  const fail = (token: Token, message: string, hint?: string): never => {
    throw expressionError(text, token.offset, message, hint)
  }
  const describe = (token: Token): string =>
    token.kind === 'end'
      ? 'the end of the expression'
      : token.kind === 'string'
        ? `the string '${token.text.slice(0, 20)}'`
        : `"${token.text}"`
  const enter = (token: Token): void => {
    if (++depth > MAX_EXPRESSION_DEPTH) fail(token, `expression is nested deeper than ${MAX_EXPRESSION_DEPTH} levels`)
  }

  function parseOr(): ExpressionNode {
    const operands = [parseAnd()]
    while (peek().kind === 'or') {
      next()
      operands.push(parseAnd())
    }
    return operands.length === 1 ? operands[0]! : { type: 'logical', operator: 'or', operands }
  }

  function parseAnd(): ExpressionNode {
    const operands = [parseNot()]
    while (peek().kind === 'and') {
      next()
      operands.push(parseNot())
    }
    return operands.length === 1 ? operands[0]! : { type: 'logical', operator: 'and', operands }
  }

  function parseNot(): ExpressionNode {
    const token = peek()
    if (token.kind !== 'not') return parseComparison()
    next()
    enter(token)
    const operand = parseNot()
    depth--
    return { type: 'not', operand }
  }

  function parseComparison(): ExpressionNode {
    const left = parsePrimary()
    const operator = readOperator()
    if (operator === undefined) return left
    const right = parsePrimary()
    const after = peek()
    if (readOperator() !== undefined)
      fail(after, 'comparisons cannot be chained', 'combine them with and: a < b and b < c')
    return { type: 'compare', operator, left, right }
  }

  function readOperator(): CompareOperator | undefined {
    const token = peek()
    if (token.kind === 'compare') {
      next()
      return token.text as CompareOperator
    }
    if (token.kind === 'in') {
      next()
      return 'in'
    }
    if (token.kind === 'not' && token.text === 'not' && tokens[index + 1]?.kind === 'in') {
      index += 2
      return 'not in'
    }
    return undefined
  }

  function parsePrimary(): ExpressionNode {
    const token = next()
    switch (token.kind) {
      case 'string':
        return { type: 'literal', value: token.text }
      case 'number':
        return { type: 'literal', value: token.number! }
      case 'true':
        return { type: 'literal', value: true }
      case 'false':
        return { type: 'literal', value: false }
      case 'null':
        return { type: 'literal', value: null }
      case 'path':
        return { type: 'path', path: token.text, segments: token.segments!, offset: token.offset }
      case '(': {
        enter(token)
        const inner = parseOr()
        const close = next()
        if (close.kind !== ')')
          fail(
            close,
            `expected ")" but found ${describe(close)}`,
            `add the ")" that closes "(${text.slice(token.offset + 1, token.offset + 13)}"`,
          )
        depth--
        return inner
      }
      case '[':
        return parseArray(token)
      default:
        return fail(
          token,
          `expected a value (a path, a string, a number, true, false, null or [...]) but found ${describe(token)}`,
        )
    }
  }

  function parseArray(open: Token): ExpressionNode {
    enter(open)
    const elements: ExpressionNode[] = []
    while (peek().kind !== ']') {
      elements.push(parseOr())
      const separator = peek()
      if (separator.kind === ',') {
        next()
        continue
      }
      if (separator.kind !== ']') fail(separator, `expected "," or "]" but found ${describe(separator)}`)
    }
    next()
    depth--
    return { type: 'array', elements }
  }

  const tree = parseOr()
  const rest = peek()
  if (rest.kind !== 'end') fail(rest, `unexpected ${describe(rest)}`, 'join conditions with and / or')
  return tree
}
