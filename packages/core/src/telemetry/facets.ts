import type { JsonSchema } from '@dataflow/sdk'
import type { LoadedNode } from '../pipeline/loaded-pipeline.js'
import type { ItemOutcome } from '../runtime/item-outcome.js'

/** Most values a categorical facet may declare (an enum larger than this is not a distribution worth a chart). */
const MAX_ENUM = 64
/** Bins of a bounded numeric facet. */
const NUMBER_BINS = 10

/**
 * A distribution the report draws, found in what nodes declare they write: a string `enum`
 * (the router's `domain`, the judge's `verdict`), every member of an object whose properties
 * are all enums (the judge's `scores` per metric), or a number with `minimum` and `maximum`.
 */
export type FacetSpec =
  | { path: string; node: string; keys: string[]; kind: 'category'; values: string[] }
  | { path: string; node: string; keys: string[]; kind: 'number'; min: number; max: number }

type Schema = JsonSchema & {
  type?: unknown
  enum?: unknown[]
  properties?: Record<string, Schema>
  minimum?: number
  maximum?: number
}

const stringEnum = (schema: Schema): string[] | undefined =>
  Array.isArray(schema.enum) &&
  schema.enum.length > 1 &&
  schema.enum.length <= MAX_ENUM &&
  schema.enum.every((value) => typeof value === 'string')
    ? (schema.enum as string[])
    : undefined

function facetOf(node: string, keys: string[], schema: Schema): FacetSpec | undefined {
  const path = [node, ...keys].join('.')
  const values = stringEnum(schema)
  if (values) return { path, node, keys, kind: 'category', values }
  if (schema.type === 'number' && typeof schema.minimum === 'number' && typeof schema.maximum === 'number')
    return schema.maximum > schema.minimum
      ? { path, node, keys, kind: 'number', min: schema.minimum, max: schema.maximum }
      : undefined
  return undefined
}

/** The facets of a pipeline, in node order. */
export function toFacetSpecs(nodes: readonly Pick<LoadedNode, 'id' | 'writes'>[]): FacetSpec[] {
  const specs: FacetSpec[] = []
  for (const node of nodes) {
    const properties = (node.writes as Schema).properties ?? {}
    for (const [key, schema] of Object.entries(properties)) {
      const facet = facetOf(node.id, [key], schema)
      if (facet) {
        specs.push(facet)
        continue
      }
      const members = Object.entries(schema.properties ?? {})
      if (members.length === 0 || !members.every(([, member]) => stringEnum(member))) continue
      for (const [member, memberSchema] of members) specs.push(facetOf(node.id, [key, member], memberSchema)!)
    }
  }
  return specs
}

/** Where an item's text (the caption) is: the first top-level plain string field (`caption`, `text` first) of the deepest node declaring one. */
export function toTextField(
  nodes: readonly Pick<LoadedNode, 'id' | 'writes' | 'depth'>[],
): { node: string; key: string } | undefined {
  const byDepth = [...nodes].sort((a, b) => b.depth - a.depth)
  for (const node of byDepth) {
    const properties = Object.entries((node.writes as Schema).properties ?? {})
    const plain = properties.filter(([, schema]) => schema.type === 'string' && schema.enum === undefined)
    const named = plain.find(([key]) => key === 'caption') ?? plain.find(([key]) => key === 'text') ?? plain[0]
    if (named) return { node: node.id, key: named[0] }
  }
  return undefined
}

/** The value of a facet in an item's outputs, or undefined. */
export function readFacet(outcome: ItemOutcome, spec: FacetSpec): string | number | undefined {
  let value: unknown = outcome.outputs[spec.node]
  for (const key of spec.keys) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  if (spec.kind === 'category') return typeof value === 'string' ? value : undefined
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** Counts of one facet per value (categories) or bin (numbers), split by outcome. */
export interface FacetCounts {
  path: string
  kind: FacetSpec['kind']
  /** Category values, or bin labels (`1.0-1.2`). */
  labels: string[]
  ok: number[]
  rejected: number[]
  error: number[]
}

/** Counts facet values of finished items (ok, rejected, error) in fixed memory. */
export class FacetCounter {
  private readonly counts: FacetCounts[]

  constructor(
    private readonly specs: readonly FacetSpec[],
    prior?: readonly FacetCounts[],
  ) {
    this.counts = specs.map((spec) => {
      const labels = spec.kind === 'category' ? [...spec.values] : binLabels(spec.min, spec.max)
      const previous = prior?.find((counts) => counts.path === spec.path && sameLabels(counts.labels, labels))
      const zero = () => labels.map(() => 0)
      return {
        path: spec.path,
        kind: spec.kind,
        labels,
        ok: previous ? [...previous.ok] : zero(),
        rejected: previous ? [...previous.rejected] : zero(),
        error: previous ? [...previous.error] : zero(),
      }
    })
  }

  add(outcome: ItemOutcome): void {
    if (outcome.outcome === 'interrupted') return
    for (let index = 0; index < this.specs.length; index++) {
      const spec = this.specs[index]!
      const value = readFacet(outcome, spec)
      if (value === undefined) continue
      const counts = this.counts[index]!
      const slot =
        spec.kind === 'category'
          ? spec.values.indexOf(value as string)
          : Math.min(
              NUMBER_BINS - 1,
              Math.max(0, Math.floor(((value as number) - spec.min) / ((spec.max - spec.min) / NUMBER_BINS))),
            )
      if (slot >= 0) counts[outcome.outcome][slot]!++
    }
  }

  toJSON(): FacetCounts[] {
    return this.counts.map((counts) => ({
      ...counts,
      ok: [...counts.ok],
      rejected: [...counts.rejected],
      error: [...counts.error],
    }))
  }
}

function binLabels(min: number, max: number): string[] {
  const width = (max - min) / NUMBER_BINS
  const format = (value: number) => String(Math.round(value * 100) / 100)
  return Array.from(
    { length: NUMBER_BINS },
    (_, bin) => `${format(min + bin * width)}-${format(min + (bin + 1) * width)}`,
  )
}

const sameLabels = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((label, index) => label === b[index])
