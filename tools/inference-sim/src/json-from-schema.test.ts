import { describe, expect, it } from 'vitest'
import type { JsonSchema } from '@dataflow/sdk'
import { jsonFromSchema, pickEnum } from './json-from-schema.js'
import { createRandom } from './random.js'
import { compileSchema } from './test-support/contract.js'

const options = { enumFirstProb: 0.92 }

const SCHEMAS: Record<string, JsonSchema> = {
  caption: {
    type: 'object',
    required: ['caption', 'quality'],
    properties: {
      caption: { type: 'string', minLength: 20, maxLength: 60 },
      quality: { enum: ['good', 'fair', 'poor'] },
      score: { type: 'integer', minimum: 1, maximum: 5 },
      confidence: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      tags: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 4 },
      domain: { type: 'string', enum: ['chart', 'document', 'natural', 'screenshot', 'math', 'medical'] },
      note: { type: ['string', 'null'] },
      flag: { type: 'boolean' },
      when: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  },
  refs: {
    $defs: {
      region: {
        type: 'object',
        required: ['x', 'y'],
        properties: { x: { type: 'integer', minimum: 0 }, y: { type: 'integer', maximum: -5 } },
      },
    },
    type: 'object',
    required: ['regions', 'kind'],
    properties: {
      regions: { type: 'array', minItems: 2, items: { $ref: '#/$defs/region' } },
      kind: { anyOf: [{ type: 'null' }, { const: 'box' }] },
      merged: {
        allOf: [
          { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
          { required: ['b'], properties: { b: { type: 'integer', multipleOf: 5, minimum: 1, maximum: 30 } } },
        ],
      },
    },
  },
  unique: { type: 'array', uniqueItems: true, minItems: 2, maxItems: 3, items: { enum: ['a', 'b', 'c', 'd'] } },
  recursive: {
    $defs: {
      node: {
        type: 'object',
        required: ['children'],
        properties: {
          label: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/$defs/node' }, minItems: 0 },
        },
      },
    },
    $ref: '#/$defs/node',
  },
}

describe('jsonFromSchema', () => {
  it.each(Object.keys(SCHEMAS))('produces values that satisfy the %s schema', (name) => {
    const validate = compileSchema(SCHEMAS[name]!)
    for (let seed = 0; seed < 50; seed++) {
      const value = jsonFromSchema(SCHEMAS[name]!, createRandom(seed), options)
      expect(validate(value), JSON.stringify({ value, errors: validate.errors })).toBe(true)
    }
  })

  it('includes declared optional properties and marks strings as simulated', () => {
    const value = jsonFromSchema(SCHEMAS.caption!, createRandom(1), options) as Record<string, unknown>
    expect(Object.keys(value)).toEqual(Object.keys(SCHEMAS.caption!.properties!))
    expect(value.caption).toMatch(/^\[simulated\]/)
  })

  it('is deterministic for a seed', () => {
    expect(jsonFromSchema(SCHEMAS.caption!, createRandom(7), options)).toEqual(
      jsonFromSchema(SCHEMAS.caption!, createRandom(7), options),
    )
  })
})

describe('pickEnum', () => {
  it('leans to the first value of enums with at most 3 values', () => {
    const random = createRandom(42)
    const draws = Array.from({ length: 4000 }, () => pickEnum(['good', 'fair', 'poor'], random, 0.92))
    const first = draws.filter((d) => d === 'good').length / draws.length
    expect(first).toBeGreaterThan(0.89)
    expect(first).toBeLessThan(0.95)
    expect(new Set(draws)).toEqual(new Set(['good', 'fair', 'poor']))
  })

  it('picks longer enums uniformly', () => {
    const random = createRandom(3)
    const values = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    const counts = new Map<unknown, number>()
    for (let i = 0; i < 8000; i++) {
      const value = pickEnum(values, random, 0.92)
      counts.set(value, (counts.get(value) ?? 0) + 1)
    }
    for (const value of values) {
      expect(counts.get(value)).toBeGreaterThan(850)
      expect(counts.get(value)).toBeLessThan(1150)
    }
  })
})
