import {
  compileExpression,
  compilePath,
  expressionErrorLocation,
  type CompiledExpression,
} from '../expression/index.js'
import { checkPath, type PathReader, type WrittenFields } from './check-paths.js'
import type { Reporter } from './create-reporter.js'
import type { DocumentPath } from './yaml-position.js'

/**
 * Compiles a `when` expression or a path written at `path` in the file and checks that every
 * path it reads is written upstream of `reader` (not checked without a reader: a node on a cycle). Reports problems at their column; returns the
 * compiled expression, or undefined when it does not parse.
 */
export function compileReads(
  text: string,
  kind: 'expression' | 'path',
  path: DocumentPath,
  reader: PathReader | undefined,
  written: WrittenFields,
  reporter: Reporter,
  /** Added to each problem's message, e.g. that the text is a plugin default. */
  note?: string,
): CompiledExpression | undefined {
  const noted = (message: string) => (note === undefined ? message : `${message} (${note})`)
  let compiled: CompiledExpression
  try {
    compiled = kind === 'expression' ? compileExpression(text) : compilePath(text)
  } catch (error) {
    const location = expressionErrorLocation(error)
    if (location === undefined) throw error
    const what = kind === 'expression' ? 'expression' : 'path'
    reporter.reportInString(
      'DATAFLOW_EXPRESSION_INVALID',
      path,
      location.offset,
      text.slice(location.offset, location.offset + 12),
      noted(`invalid ${what} "${text.length > 60 ? `${text.slice(0, 57)}...` : text}": ${location.reason}`),
      location.hint,
    )
    return undefined
  }
  if (reader === undefined) return compiled
  for (const reference of compiled.references) {
    const problem = checkPath(reference, reader, written)
    if (problem !== undefined)
      reporter.reportInString(
        'DATAFLOW_EXPRESSION_INVALID',
        path,
        reference.offset,
        reference.path,
        noted(problem.message),
        problem.hint,
      )
  }
  return compiled
}
