import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument } from 'yaml'
import type { Diagnostic } from './diagnostic.js'
import type { PipelineSource } from './yaml-position.js'

const YAML_HINTS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'each key may appear once in a mapping: rename or merge the entries',
  BAD_INDENT: 'check the indentation, and that every { and [ is closed',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  MULTIPLE_DOCS: 'a pipeline file holds one YAML document: remove the --- separators',
  BLOCK_AS_IMPLICIT_KEY: 'put a space after the ":" of the key above, or fix the indentation',
}

/**
 * Reads and parses a pipeline file with positions. Returns the source, or the diagnostics when
 * the file cannot be read or is not valid YAML (every syntax error, each at its position).
 */
export async function readPipelineSource(
  file: string,
): Promise<{ source: PipelineSource } | { diagnostics: Diagnostic[] }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    const message =
      code === 'ENOENT'
        ? `pipeline file not found: ${file}`
        : code === 'EISDIR'
          ? `${file} is a folder, not a pipeline file`
          : `cannot read ${file}: ${(error as Error).message}`
    return {
      diagnostics: [
        {
          file,
          line: 0,
          column: 0,
          code: 'DATAFLOW_USAGE',
          message,
          hint: 'give the path of a pipeline YAML file (relative to the current folder or absolute)',
        },
      ],
    }
  }
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false })
  if (document.errors.length === 0) return { source: { file, text, document, lineCounter } }
  return {
    diagnostics: document.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0])
      const hint = YAML_HINTS[error.code]
      return {
        file,
        line,
        column: col,
        code: 'DATAFLOW_YAML_SYNTAX',
        message: error.message.split('\n')[0]!,
        ...(hint === undefined ? {} : { hint }),
      }
    }),
  }
}
