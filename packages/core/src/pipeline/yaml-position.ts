import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'
import type { SourcePosition } from './loaded-pipeline.js'

/** A pipeline file parsed with positions. */
export interface PipelineSource {
  /** Absolute path. */
  file: string
  text: string
  document: Document
  lineCounter: LineCounter
}

/** A path into the document: map keys and sequence indexes. */
export type DocumentPath = readonly (string | number)[]

/** The 1-based position of a character offset. */
export function positionAt(source: PipelineSource, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset)
  return { file: source.file, line, column: col }
}

/** The YAML node at `path` (aliases are not followed), or undefined. */
export function nodeAt(source: PipelineSource, path: DocumentPath): unknown {
  return source.document.getIn(path, true)
}

/**
 * Where to point for `path`: the value (default) or its key. When the path does not exist
 * (a missing key, a value added by `--set`), the nearest existing parent's key is used.
 */
export function locate(source: PipelineSource, path: DocumentPath, target: 'value' | 'key' = 'value'): SourcePosition {
  let node: unknown = source.document.contents
  let best = rangeStart(node) ?? 0
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!
    const last = index === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment))
      if (pair === undefined) break
      const keyStart = rangeStart(pair.key)
      if (keyStart !== undefined) best = keyStart
      node = pair.value
      if (last && target === 'value') best = rangeStart(node) ?? best
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)]
      if (item === undefined) break
      node = item
      best = rangeStart(node) ?? best
    } else {
      break
    }
  }
  return positionAt(source, best)
}

/**
 * The position of character `offset` of the string at `path` (an expression inside a scalar),
 * given that `expected` is the text found there. Falls back to the scalar's start when the
 * scalar's source text cannot be mapped (escapes, folded block scalars).
 */
export function locateInScalar(
  source: PipelineSource,
  path: DocumentPath,
  offset: number,
  expected: string,
): SourcePosition {
  const node = nodeAt(source, path)
  if (!isScalar(node) || node.range === undefined || node.range === null) return locate(source, path)
  const [start, end] = node.range
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'
  if (expected === '') {
    // The end of the text: the closing quote, or just after a plain scalar.
    const block = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL'
    return positionAt(source, block ? start : quoted ? end - 1 : end)
  }
  const candidate = start + (quoted ? 1 : 0) + offset
  if (source.text.slice(candidate, candidate + expected.length) === expected) return positionAt(source, candidate)
  const found = source.text.slice(start, end).indexOf(expected)
  return positionAt(source, found === -1 ? start : start + found)
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return range === undefined || range === null ? undefined : range[0]
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key)
}
