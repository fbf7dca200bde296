import type { JsonSchema } from '@dataflow/sdk'
import type { PathReference } from '../expression/index.js'
import { didYouMean, listOf } from './suggest.js'

/** What a pipeline writes: the source's item fields and each node's output, as JSON Schemas (undefined: unknown). */
export interface WrittenFields {
  item: JsonSchema | undefined
  nodes: ReadonlyMap<string, JsonSchema | undefined>
}

/** Who reads: a node (only `item.*` and its transitive needs) or a sink (everything, plus the outcome fields). */
export type PathReader =
  | {
      kind: 'node'
      id: string
      upstream: ReadonlySet<string>
      /** Nodes that need this one, directly or not. */ downstream: ReadonlySet<string>
    }
  | { kind: 'sink'; id: string }

export interface PathProblem {
  message: string
  hint: string | undefined
}

/** Fields only sinks can read: how the item ended (the sink scope of the runtime's sink dispatcher). */
export const OUTCOME_FIELDS: ReadonlySet<string> = new Set(['outcome', 'reason', 'error', 'id', 'metrics'])

/**
 * Checks that what a path reads is written upstream of the reader: `item.<field>` against the
 * source's schema, `<node>.<field>` against the node's schema (first field only; a schema
 * without `properties`, or with `additionalProperties` allowed explicitly, is open).
 */
export function checkPath(
  reference: PathReference,
  reader: PathReader,
  written: WrittenFields,
): PathProblem | undefined {
  const [first, field] = reference.segments as [string, string | undefined]
  const readerName = reader.kind === 'node' ? `node "${reader.id}"` : `sink "${reader.id}"`
  if (first === 'item') {
    return field === undefined
      ? undefined
      : checkField(written.item, field, `the source does not write item.${field}`, 'the source writes')
  }
  if (OUTCOME_FIELDS.has(first)) {
    if (reader.kind === 'sink') return undefined
    return {
      message: `${readerName} reads "${first}", which only sinks can read (it is how the item ended)`,
      hint: 'nodes read item.* and the outputs of their needs',
    }
  }
  if (!written.nodes.has(first)) {
    const names = ['item', ...written.nodes.keys()]
    return {
      message: `${readerName} reads "${reference.path}", but "${first}" is not a node of this pipeline`,
      hint: didYouMean(first, names) ?? `paths start with item or a node id (${listOf(names)})`,
    }
  }
  if (reader.kind === 'node' && !reader.upstream.has(first)) {
    if (first === reader.id)
      return {
        message: `node "${reader.id}" reads its own output "${reference.path}"`,
        hint: 'a node reads item.* and the outputs of its needs',
      }
    return {
      message: `node "${reader.id}" reads "${reference.path}", but "${first}" is not upstream of it`,
      hint: reader.downstream.has(first)
        ? `"${first}" runs after "${reader.id}" (it needs it), so "${reader.id}" cannot read it`
        : `add ${first} to the needs of ${reader.id}`,
    }
  }
  if (field === undefined) return undefined
  return checkField(
    written.nodes.get(first),
    field,
    `node "${first}" does not write "${field}" (read as ${reference.path})`,
    `"${first}" writes`,
  )
}

function checkField(
  schema: JsonSchema | undefined,
  field: string,
  message: string,
  writesLabel: string,
): PathProblem | undefined {
  const fields = fieldsOf(schema)
  if (fields.open || fields.names.includes(field)) return undefined
  return {
    message,
    hint:
      didYouMean(field, fields.names) ??
      (fields.names.length === 0 ? `${writesLabel} no fields` : `${writesLabel}: ${listOf(fields.names)}`),
  }
}

/** The top-level fields a schema declares, and whether others may appear. */
export function fieldsOf(schema: JsonSchema | undefined): { open: boolean; names: string[] } {
  if (schema === undefined || typeof schema !== 'object') return { open: true, names: [] }
  const branches = [
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...((schema['allOf'] as readonly JsonSchema[] | undefined) ?? []),
  ].map(fieldsOf)
  const names = new Set([...Object.keys(schema.properties ?? {}), ...branches.flatMap((branch) => branch.names)])
  const hasUnions = branches.length > 0
  // Declared properties are the whole contract unless more are allowed explicitly: a `when` that
  // reads a field no node declares is a typo far more often than an undeclared output.
  const ownOpen =
    schema.$ref !== undefined ||
    schema['patternProperties'] !== undefined ||
    (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
  const open = hasUnions
    ? branches.some((branch) => branch.open) && (schema.properties === undefined || ownOpen)
    : schema.properties === undefined || ownOpen
  return { open, names: [...names] }
}
