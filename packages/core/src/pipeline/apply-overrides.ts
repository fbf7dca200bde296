import { DataflowError } from '@dataflow/sdk'
import { isCollection, isMap, isScalar, parseDocument } from 'yaml'
import type { PipelineSource } from './yaml-position.js'

/** One `--set path=value` argument, parsed. */
export interface Override {
  /** The argument as given. */
  text: string
  segments: string[]
  value: unknown
}

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor'])

/**
 * Parses `path=value`: the path is dotted (`nodes.judge.with.keep`), the value is read as YAML
 * (`64` is a number, `true` a boolean, `[a, b]` and `{ k: v }` flow collections); an empty
 * value is the empty string. Throws DATAFLOW_USAGE on a malformed argument.
 */
export function parseOverride(text: string): Override {
  const equals = text.indexOf('=')
  const usage = (message: string) =>
    new DataflowError('DATAFLOW_USAGE', `--set ${text}: ${message}`, {
      hint: 'write --set path.to.key=value, e.g. --set nodes.judge.with.keep=any',
    })
  if (equals === -1) throw usage('missing "="')
  const path = text.slice(0, equals).trim()
  if (path === '') throw usage('the path before "=" is empty')
  const segments = path.split('.')
  for (const segment of segments) {
    if (segment === '') throw usage(`"${path}" has an empty segment`)
    if (FORBIDDEN.has(segment)) throw usage(`"${segment}" is not allowed in a path`)
  }
  return { text, segments, value: parseValue(text.slice(equals + 1), usage) }
}

function parseValue(raw: string, usage: (message: string) => DataflowError): unknown {
  if (raw.trim() === '') return ''
  const parsed = parseDocument(raw)
  const contents = parsed.contents
  const flow = isScalar(contents) || (isCollection(contents) && contents.flow === true)
  if (parsed.errors.length > 0 || !flow) {
    if (/^\s*[[{]/.test(raw))
      throw usage(
        `the value is not valid YAML: ${parsed.errors[0]?.message.split('\n')[0] ?? 'expected a flow collection'}`,
      )
    return raw
  }
  return parsed.toJS()
}

/**
 * Applies overrides to the document in order; missing parents (and empty values such as
 * `with:`) become mappings. Returns a usage error for each override whose way is blocked by a
 * value that is not a collection.
 */
export function applyOverrides(source: PipelineSource, overrides: readonly Override[]): DataflowError[] {
  const problems: DataflowError[] = []
  // Overridden scalars are replaced by new nodes (without a range): positions then point at their key.
  const document = source.document
  for (const override of overrides) {
    const blocked = prepareParents(source, override.segments)
    if (blocked !== undefined) {
      const name = blocked === 0 ? 'the document' : override.segments.slice(0, blocked).join('.')
      problems.push(
        new DataflowError(
          'DATAFLOW_USAGE',
          `--set ${override.text}: ${name} is not a mapping, so it has no key "${override.segments[blocked]}"`,
          {
            hint: blocked === 0 ? 'the pipeline file must be a mapping' : `set ${name} itself, or fix the path`,
          },
        ),
      )
      continue
    }
    document.setIn(override.segments, document.createNode(override.value))
  }
  return problems
}

/**
 * Turns empty (null) parents into mappings; returns how many segments lead to the first parent
 * that is a scalar (0: the document itself), or undefined when the way is clear.
 */
function prepareParents(source: PipelineSource, segments: readonly string[]): number | undefined {
  const document = source.document
  if (document.contents !== null && !isCollection(document.contents)) {
    if (!(isScalar(document.contents) && document.contents.value === null)) return 0
    document.contents = document.createNode({})
  }
  for (let length = 1; length < segments.length; length++) {
    const path = segments.slice(0, length)
    const node = document.getIn(path, true)
    if (node === undefined) return undefined
    if (isScalar(node) && node.value === null) {
      document.setIn(path, document.createNode({}))
      continue
    }
    if (!isCollection(node) || (!isMap(node) && !/^\d+$/.test(segments[length]!))) return length
  }
  return undefined
}
