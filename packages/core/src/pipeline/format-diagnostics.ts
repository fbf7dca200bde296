import { readFileSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'
import { sortDiagnostics, where, type Diagnostic } from './diagnostic.js'

export interface FormatOptions {
  /** File names are shown relative to this folder. Default: `process.cwd()`. */
  cwd?: string
  /** Returns a file's text for the code frames. Default: read from disk (frames are left out for unreadable files). */
  readSource?: (file: string) => string | undefined
}

/**
 * Renders diagnostics for a terminal: `file:line:column  CODE  message`, the offending line
 * with a caret under the column, and the hint.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const cwd = options.cwd ?? process.cwd()
  const readSource = options.readSource ?? readFromDisk
  const sources = new Map<string, string[] | undefined>()
  const linesOf = (file: string) => {
    if (!sources.has(file)) sources.set(file, readSource(file)?.split(/\r?\n/))
    return sources.get(file)
  }
  const blocks = sortDiagnostics(diagnostics).map((diagnostic) => {
    const shown = isAbsolute(diagnostic.file) ? toDisplayPath(diagnostic.file, cwd) : diagnostic.file
    const out = [`${where({ ...diagnostic, file: shown })}  ${diagnostic.code}  ${diagnostic.message}`]
    const lines = diagnostic.line > 0 ? linesOf(diagnostic.file) : undefined
    const text = lines?.[diagnostic.line - 1]
    if (text !== undefined) {
      const gutter = String(diagnostic.line).length
      const before = lines![diagnostic.line - 2]
      if (before !== undefined && before.trim() !== '')
        out.push(`  ${String(diagnostic.line - 1).padStart(gutter)} | ${before}`)
      out.push(`> ${diagnostic.line} | ${text}`)
      const pad = text.slice(0, diagnostic.column - 1).replace(/[^\t]/g, ' ')
      out.push(`  ${' '.repeat(gutter)} | ${pad}^`)
    }
    if (diagnostic.hint !== undefined) out.push(`  hint: ${diagnostic.hint}`)
    return out.join('\n')
  })
  const count = diagnostics.length
  return `${blocks.join('\n\n')}\n\n${count} problem${count === 1 ? '' : 's'} found\n`
}

function toDisplayPath(file: string, cwd: string): string {
  const path = relative(cwd, file)
  return path.startsWith('..') || isAbsolute(path) ? file : path
}

function readFromDisk(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}
