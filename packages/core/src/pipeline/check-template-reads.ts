import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { isPromptFile, parsePath, templatePlaceholders } from '@dataflow/sdk'
import { checkPath, type PathReader, type WrittenFields } from './check-paths.js'
import type { Reporter } from './create-reporter.js'
import type { DocumentPath } from './yaml-position.js'

/**
 * Checks the `{{path}}` placeholders of a prompt template (an `x-dataflow-template` field) like
 * any other path a node reads. Inline text is reported at the placeholder's column; a prompt
 * file (one line ending in .md/.txt, relative to `dir`) at the setting, naming the file.
 */
export function checkTemplateReads(
  text: string,
  path: DocumentPath,
  dir: string,
  reader: PathReader | undefined,
  written: WrittenFields,
  reporter: Reporter,
): void {
  let template = text
  let file: string | undefined
  if (isPromptFile(text)) {
    file = resolve(dir, text.trim())
    try {
      template = readFileSync(file, 'utf8')
    } catch {
      reporter.report('DATAFLOW_CONFIG_INVALID', path, `cannot read the prompt file ${file}`, {
        hint: 'a one-line value ending in .md or .txt is a file relative to the pipeline file; fix the path or write the prompt inline',
      })
      return
    }
  }
  for (const placeholder of templatePlaceholders(template)) {
    const where = file === undefined ? '' : `${file}: `
    let segments: string[]
    try {
      segments = parsePath(placeholder.path)
    } catch (error) {
      report(`${where}{{${placeholder.path}}} is not a path: ${(error as Error).message}`, undefined)
      continue
    }
    if (reader === undefined) continue
    const problem = checkPath({ path: placeholder.path, segments, offset: placeholder.offset }, reader, written)
    if (problem !== undefined) report(`${where}{{${placeholder.path}}}: ${problem.message}`, problem.hint)

    function report(message: string, hint: string | undefined): void {
      if (file === undefined)
        reporter.reportInString(
          'DATAFLOW_EXPRESSION_INVALID',
          path,
          placeholder.offset,
          placeholder.path,
          message,
          hint,
        )
      else reporter.report('DATAFLOW_EXPRESSION_INVALID', path, message, { hint })
    }
  }
}
