import { isMap, isPair, isScalar, isSeq } from 'yaml'
import { interpolate, toPlainScalar, type Environment, type InterpolationProblem } from './interpolate.js'
import type { DocumentPath, PipelineSource } from './yaml-position.js'

/** A problem found while interpolating, with the path of the string it is in. */
export interface LocatedInterpolationProblem extends InterpolationProblem {
  path: DocumentPath
  /** The scalar's text as written (for positions inside it). */
  text: string
}

/**
 * Interpolates every string value of the document in place (keys are left alone). Plain scalars
 * are re-read after substitution, so `maxConcurrency: ${CONCURRENCY:-64}` is a number; quoted ones
 * stay strings. Returns the problems found, each with its path.
 */
export function interpolateDocument(source: PipelineSource, env: Environment): LocatedInterpolationProblem[] {
  const problems: LocatedInterpolationProblem[] = []
  const visit = (node: unknown, path: DocumentPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair)) visit(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]))
    } else if (isScalar(node) && typeof node.value === 'string') {
      const text = node.value
      const result = interpolate(text, env)
      if (!result.ok) {
        problems.push(...result.problems.map((problem) => ({ ...problem, path, text })))
      } else if (result.changed) {
        node.value = node.type === 'PLAIN' ? toPlainScalar(result.value) : result.value
      }
    }
  }
  visit(source.document.contents, [])
  return problems
}
