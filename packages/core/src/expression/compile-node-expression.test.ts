import { DataflowError, readPath, type NodeInput } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import { compileNodeExpression } from './compile-node-expression.js'

const inputOf = (scope: Record<string, unknown>) =>
  ({ get: (path: string) => readPath(scope, path.split('.')) }) as NodeInput

describe('compileNodeExpression', () => {
  it('evaluates the `when` language over a node input', () => {
    const expression = compileNodeExpression("classify.label in ['spam', 'ad'] or item.stars < 2")
    expect(expression.paths).toEqual(['classify.label', 'item.stars'])
    expect(expression.test(inputOf({ item: { stars: 4 }, classify: { label: 'ad' } }))).toBe(true)
    expect(expression.test(inputOf({ item: { stars: 4 }, classify: { label: 'ok' } }))).toBe(false)
    expect(expression.evaluate(inputOf({ item: { stars: 1 } }))).toBe(true)
  })

  it('throws DATAFLOW_EXPRESSION_INVALID for text that does not parse', () => {
    expect(() => compileNodeExpression('item.a ==')).toThrow(DataflowError)
  })
})
