import type { JsonSchema } from '@dataflow/sdk'
import type { Random } from './random.js'
import { simulatedPhrase } from './simulated-text.js'

export interface JsonFromSchemaOptions {
  /** Probability that an enum of at most 3 values yields its first value. */
  enumFirstProb: number
}

/** Beyond this depth objects get only their required properties and arrays their minimum length. */
const SHALLOW_DEPTH = 8
const MAX_DEPTH = 32

/**
 * The enum rule. Enums of at most 3 values are treated as rating scales and lean to the first
 * value (probability `enumFirstProb`, otherwise one of the others, uniformly); longer enums are
 * picked uniformly, so routing over many domains spreads.
 */
export function pickEnum(values: readonly unknown[], random: Random, enumFirstProb: number): unknown {
  if (values.length <= 3) {
    if (values.length === 1 || random.next() < enumFirstProb) return values[0]
    return values[random.int(1, values.length - 1)]
  }
  return random.pick(values)
}

function resolvePointer(root: JsonSchema | boolean, ref: string): JsonSchema | boolean {
  if (!ref.startsWith('#')) return {}
  let node: unknown = root
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((s) => s !== '')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined
  }
  return typeof node === 'object' || typeof node === 'boolean' ? (node as JsonSchema | boolean) : {}
}

function mergeAll(schemas: readonly (JsonSchema | boolean)[]): JsonSchema {
  const merged: JsonSchema = {}
  for (const part of schemas) {
    if (typeof part === 'boolean') continue
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') merged.properties = { ...merged.properties, ...(value as Record<string, JsonSchema>) }
      else if (key === 'required') merged.required = [...new Set([...(merged.required ?? []), ...(value as string[])])]
      else if (!(key in merged)) merged[key] = value
    }
  }
  return merged
}

function firstType(schema: JsonSchema): string {
  if (typeof schema.type === 'string') return schema.type
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'null'
  if (schema.properties !== undefined || schema.required !== undefined) return 'object'
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array'
  if (schema.minimum !== undefined || schema.maximum !== undefined) return 'number'
  return 'string'
}

function numberInRange(schema: JsonSchema, random: Random, integer: boolean): number {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined
  const step = integer ? 1 : 0.01
  let low = schema.minimum ?? (exclusiveMin === undefined ? undefined : exclusiveMin + step)
  let high = schema.maximum ?? (exclusiveMax === undefined ? undefined : exclusiveMax - step)
  if (low === undefined) low = high === undefined ? 0 : Math.min(0, high - 100)
  if (high === undefined) high = low + 100
  if (integer) {
    const multiple =
      typeof schema.multipleOf === 'number' && Number.isInteger(schema.multipleOf) ? schema.multipleOf : 1
    const first = Math.ceil(low / multiple)
    const last = Math.floor(high / multiple)
    return last < first ? Math.ceil(low) : random.int(first, last) * multiple
  }
  const value = Math.round((low + random.next() * (high - low)) * 100) / 100
  return Math.min(high, Math.max(low, value))
}

const FORMATTED: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  email: 'simulated@example.com',
  uri: 'https://example.com/simulated',
  url: 'https://example.com/simulated',
  uuid: '00000000-0000-4000-8000-000000000000',
}

function simulatedString(schema: JsonSchema, random: Random): string {
  if (typeof schema.format === 'string' && FORMATTED[schema.format] !== undefined) return FORMATTED[schema.format]!
  let text = simulatedPhrase(random, random.int(1, 4))
  const min = schema.minLength ?? 0
  while (text.length < min) text += ` ${simulatedPhrase(random, 3)}`
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
  return text.length > max ? text.slice(0, max) : text
}

/**
 * A JSON value that satisfies `schema`: objects with their required and declared properties,
 * enums (see `pickEnum`), const, integers and numbers within minimum/maximum, arrays with at
 * least minItems, strings as short simulated text, local $ref, allOf, anyOf/oneOf (first
 * non-null branch). `pattern` is not honoured.
 */
export function jsonFromSchema(schema: JsonSchema | boolean, random: Random, options: JsonFromSchemaOptions): unknown {
  const generate = (node: JsonSchema | boolean, depth: number): unknown => {
    if (typeof node === 'boolean' || depth > MAX_DEPTH) return node === false ? null : simulatedPhrase(random, 2)
    if (typeof node.$ref === 'string') {
      const { $ref, ...siblings } = node
      return generate(mergeAll([siblings, resolvePointer(schema, $ref)]), depth + 1)
    }
    if (Array.isArray(node.allOf)) {
      const { allOf, ...rest } = node
      return generate(mergeAll([rest, ...(allOf as JsonSchema[])]), depth + 1)
    }
    if ('const' in node) return node.const
    if (Array.isArray(node.enum) && node.enum.length > 0) return pickEnum(node.enum, random, options.enumFirstProb)
    const branches = node.anyOf ?? node.oneOf
    if (branches !== undefined && branches.length > 0) {
      const { anyOf: _a, oneOf: _o, ...rest } = node
      const branch = branches.find((b) => typeof b !== 'object' || b.type !== 'null') ?? branches[0]!
      return generate(mergeAll([rest, branch]), depth + 1)
    }
    const shallow = depth >= SHALLOW_DEPTH
    switch (firstType(node)) {
      case 'object': {
        const result: Record<string, unknown> = {}
        const required = new Set(node.required ?? [])
        for (const [key, child] of Object.entries(node.properties ?? {})) {
          if (!shallow || required.has(key)) result[key] = generate(child, depth + 1)
        }
        for (const key of required) if (!(key in result)) result[key] = simulatedPhrase(random, 2)
        return result
      }
      case 'array': {
        const prefix = Array.isArray(node.prefixItems)
          ? (node.prefixItems as JsonSchema[]).map((s) => generate(s, depth + 1))
          : []
        const min = Math.max(node.minItems ?? 1, prefix.length)
        const max = Math.min(node.maxItems ?? Infinity, shallow ? min : min + 2)
        const count = max <= min ? Math.min(min, node.maxItems ?? min) : random.int(min, max)
        const items = node.items ?? {}
        const result = prefix.slice(0, count)
        const seen = new Set(result.map((v) => JSON.stringify(v)))
        for (let attempts = 0; result.length < count && attempts < count * 10; attempts++) {
          const value = generate(items, depth + 1)
          if (node.uniqueItems === true && seen.has(JSON.stringify(value))) continue
          seen.add(JSON.stringify(value))
          result.push(value)
        }
        return result
      }
      case 'integer':
        return numberInRange(node, random, true)
      case 'number':
        return numberInRange(node, random, false)
      case 'boolean':
        return random.next() < 0.5
      case 'null':
        return null
      default:
        return simulatedString(node, random)
    }
  }
  return generate(schema, 0)
}
