// Test helper: loads a pipeline and returns its diagnostics as compact `line:column CODE` strings.
import { expect } from 'vitest'
import { loadPipeline, type LoadPipelineOptions } from '../src/pipeline/load-pipeline.js'
import { PipelineError, type Diagnostic } from '../src/pipeline/diagnostic.js'
import { writePipeline } from './write-pipeline.js'

/** The diagnostics thrown for `yaml` (written by writePipeline); fails when it loads. */
export async function diagnosticsOf(
  yaml: string,
  options: LoadPipelineOptions = {},
  files: Record<string, string> = {},
): Promise<Diagnostic[]> {
  const file = writePipeline(yaml, files)
  try {
    await loadPipeline(file, { env: {}, ...options })
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError)
    const diagnostics = (error as PipelineError).diagnostics
    for (const diagnostic of diagnostics) if (diagnostic.line > 0) expect(diagnostic.file).toBe(file)
    return [...diagnostics]
  }
  throw new Error('the pipeline loaded without problems')
}

/** `line:column CODE` per diagnostic. */
export function positions(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => `${diagnostic.line}:${diagnostic.column} ${diagnostic.code}`)
}

/** Joins lines with newlines (line N of the result is lines[N - 1]). */
export function yamlLines(...lines: string[]): string {
  return `${lines.join('\n')}\n`
}
