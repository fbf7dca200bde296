import type { TextPosition } from './text-position.js'

/** One top-level record of an annotation file, not parsed yet. */
export interface RawElement {
  /** The record's JSON text. */
  text: string
  /** 0-based position in the file's list (or among its non-blank lines). */
  index: number
  /** Where the text starts in the file. */
  position: TextPosition
}
