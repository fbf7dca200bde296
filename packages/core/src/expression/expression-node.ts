/** The syntax tree of a `when` expression. */
export type ExpressionNode =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'path'; readonly path: string; readonly segments: readonly string[]; readonly offset: number }
  | { readonly type: 'array'; readonly elements: readonly ExpressionNode[] }
  | { readonly type: 'not'; readonly operand: ExpressionNode }
  /** `and` / `or` chains are kept flat so evaluation depth does not grow with their length. */
  | { readonly type: 'logical'; readonly operator: 'and' | 'or'; readonly operands: readonly ExpressionNode[] }
  | {
      readonly type: 'compare'
      readonly operator: CompareOperator
      readonly left: ExpressionNode
      readonly right: ExpressionNode
    }

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in'
