import type { ErrorCode } from '@dataflow/sdk'
import type { Diagnostic } from './diagnostic.js'
import type { SourcePosition } from './loaded-pipeline.js'
import { locate, locateInScalar, type DocumentPath, type PipelineSource } from './yaml-position.js'

/** Collects diagnostics for one pipeline file, turning document paths into positions. */
export interface Reporter {
  readonly source: PipelineSource
  readonly diagnostics: Diagnostic[]
  /** A problem with the value at `path` (or, with `at: 'key'`, with its key). */
  report(code: ErrorCode, path: DocumentPath, message: string, options?: ReportOptions): void
  /** A problem at character `offset` of the string at `path`, where the text `expected` starts. */
  reportInString(
    code: ErrorCode,
    path: DocumentPath,
    offset: number,
    expected: string,
    message: string,
    hint?: string,
  ): void
  /** Where `path` is (for positions kept in the loaded pipeline). */
  positionOf(path: DocumentPath, at?: 'value' | 'key'): SourcePosition
}

export interface ReportOptions {
  hint?: string | undefined
  at?: 'value' | 'key'
}

/** `overrides` maps a dotted path set with `--set` to the argument, so that problems in it say where the value came from. */
export function createReporter(source: PipelineSource, overrides: ReadonlyMap<string, string> = new Map()): Reporter {
  const diagnostics: Diagnostic[] = []
  const add = (
    code: ErrorCode,
    path: DocumentPath,
    position: SourcePosition,
    message: string,
    hint: string | undefined,
  ) => {
    const override = findOverride(overrides, path)
    diagnostics.push({
      ...position,
      code,
      message: override === undefined ? message : `${message} (value from --set ${override})`,
      ...(hint === undefined ? {} : { hint }),
    })
  }
  return {
    source,
    diagnostics,
    report(code, path, message, options = {}) {
      add(code, path, locate(source, path, options.at ?? 'value'), message, options.hint)
    },
    reportInString(code, path, offset, expected, message, hint) {
      add(code, path, locateInScalar(source, path, offset, expected), message, hint)
    },
    positionOf(path, at = 'value') {
      return locate(source, path, at)
    },
  }
}

function findOverride(overrides: ReadonlyMap<string, string>, path: DocumentPath): string | undefined {
  for (let length = path.length; length > 0; length--) {
    const found = overrides.get(path.slice(0, length).join('.'))
    if (found !== undefined) return found
  }
  return undefined
}
