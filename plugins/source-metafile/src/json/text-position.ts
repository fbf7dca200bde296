/** A 1-based line and column (columns count UTF-16 code units). */
export interface TextPosition {
  line: number
  column: number
}

/** The position of `offset` in `text`, where `text` itself starts at `origin` (default 1:1). */
export function toTextPosition(
  text: string,
  offset: number,
  origin: TextPosition = { line: 1, column: 1 },
): TextPosition {
  let line = origin.line
  let lineStart = 0
  const end = Math.min(offset, text.length)
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < end; newline = text.indexOf('\n', newline + 1)) {
    line++
    lineStart = newline + 1
  }
  const column = line === origin.line ? origin.column + end : end - lineStart + 1
  return { line, column }
}

/** Thrown by the streaming readers: a message about the text at a position. */
export class TextPositionError extends Error {
  constructor(
    message: string,
    readonly position: TextPosition,
  ) {
    super(message)
    this.name = 'TextPositionError'
  }
}
