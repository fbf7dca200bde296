import { parseJson } from './parse-json.js'
import type { RawElement } from './raw-element.js'
import { TextPositionError, toTextPosition, type TextPosition } from './text-position.js'

/** Parses a record's text with the fast native parser; on failure, finds where and why. */
export function parseElement(element: RawElement): unknown {
  try {
    return JSON.parse(element.text)
  } catch {
    const result = parseJson(element.text)
    if (result.ok) return result.value
    throw new TextPositionError(
      `${result.message} (record ${element.index})`,
      toTextPosition(element.text, result.offset, element.position),
    )
  }
}

/** Where a member of a record (by JSON Pointer) is in the file; the record's start when unknown. */
export function positionInElement(element: RawElement, pointer: string): TextPosition {
  if (pointer === '') return element.position
  const result = parseJson(element.text)
  const offset = result.ok ? result.positions.get(pointer) : undefined
  return offset === undefined ? element.position : toTextPosition(element.text, offset, element.position)
}
