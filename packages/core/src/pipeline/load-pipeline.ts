import { dirname, resolve } from 'node:path'
import { isDataflowError } from '@dataflow/sdk'
import { applyOverrides, parseOverride, type Override } from './apply-overrides.js'
import { assemblePipeline } from './assemble-pipeline.js'
import { createReporter } from './create-reporter.js'
import { PipelineError, type Diagnostic } from './diagnostic.js'
import type { Environment } from './interpolate.js'
import { interpolateDocument } from './interpolate-document.js'
import { isRecord } from './is-record.js'
import type { LoadedPipeline } from './loaded-pipeline.js'
import { readPipelineSource } from './read-pipeline-source.js'
import { validatePipelineDocument } from './validate-pipeline-document.js'

export interface LoadPipelineOptions {
  /** Where `${VAR}` reads from. Default: `process.env`. */
  env?: Environment
  /** `--set path=value` overrides, applied in order after interpolation. */
  set?: readonly string[]
  /** More places to resolve plugin packages from, after the pipeline's folder (e.g. the CLI's location, the cwd). */
  resolveFrom?: readonly string[]
}

/**
 * Reads, interpolates, overrides, validates and resolves a pipeline file. On any problem throws
 * one {@link PipelineError} listing every problem found, each with file:line:column.
 */
export async function loadPipeline(file: string, options: LoadPipelineOptions = {}): Promise<LoadedPipeline> {
  const path = resolve(file)
  const usage: Diagnostic[] = []
  const overrides: Override[] = []
  for (const text of options.set ?? []) {
    try {
      overrides.push(parseOverride(text))
    } catch (error) {
      if (!isDataflowError(error)) throw error
      usage.push(toUsageDiagnostic(error.message, error.hint))
    }
  }
  const read = await readPipelineSource(path)
  if ('diagnostics' in read) throw new PipelineError([...usage, ...read.diagnostics])
  const { source } = read
  const reporter = createReporter(
    source,
    new Map(overrides.map((override) => [override.segments.join('.'), override.text])),
  )
  reporter.diagnostics.push(...usage)

  const envProblems = interpolateDocument(source, options.env ?? process.env)
  for (const error of applyOverrides(source, overrides))
    reporter.diagnostics.push(toUsageDiagnostic(error.message, error.hint))
  for (const problem of envProblems) {
    if (
      overrides.some((override) => override.segments.every((segment, index) => String(problem.path[index]) === segment))
    )
      continue
    const code = problem.kind === 'missing' ? 'DATAFLOW_ENV_MISSING' : 'DATAFLOW_CONFIG_INVALID'
    const hint =
      problem.kind === 'missing'
        ? `set it (export ${problem.name}=...), give a default with \${${problem.name}:-value}, or write $\${ for a literal \${`
        : 'write $${ for a literal ${'
    reporter.reportInString(
      code,
      problem.path,
      problem.offset,
      problem.text.slice(problem.offset, problem.offset + 2),
      problem.message,
      hint,
    )
  }

  let data: unknown
  try {
    data = source.document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // Only an alias explosion ("billion laughs") gets here: the syntax was checked on parse.
    reporter.report('DATAFLOW_YAML_SYNTAX', [], `the file cannot be expanded: ${(error as Error).message}`, {
      hint: 'use fewer YAML aliases (*name)',
    })
    throw new PipelineError(reporter.diagnostics)
  }
  if (isRecord(data) && data['run'] === undefined) data['run'] = {}
  validatePipelineDocument(data, reporter)
  if (!isRecord(data)) throw new PipelineError(reporter.diagnostics)
  const pipeline = await assemblePipeline(data, reporter, {
    dir: dirname(path),
    resolveFrom: options.resolveFrom ?? [],
  })
  if (pipeline === undefined || reporter.diagnostics.length > 0) throw new PipelineError(reporter.diagnostics)
  return pipeline
}

/** A problem with the command line: it has no position in the file. */
function toUsageDiagnostic(message: string, hint: string | undefined): Diagnostic {
  return {
    file: 'command line',
    line: 0,
    column: 0,
    code: 'DATAFLOW_USAGE',
    message,
    ...(hint === undefined ? {} : { hint }),
  }
}
