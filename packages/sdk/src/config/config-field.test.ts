import { describe, expect, expectTypeOf, it } from 'vitest'
import { modelField, pathField } from '../json-schema.js'
import { field, type ConfigOf } from './config-field.js'
import { findOpenObjects } from './find-open-objects.js'
import { validateConfig } from './validate-config.js'

const schema = field.object(
  {
    model: modelField('Vision model.', 'vlm'),
    caption: pathField('Caption to judge.'),
    keep: field.anyOf([field.enum(['all-excellent']), field.object({ minMean: field.number({ minimum: 1 }) })], {
      default: 'all-excellent',
    }),
    metrics: field.array(field.object({ key: field.string(), name: field.string() }, { required: ['key'] }), {
      default: [],
    }),
    aliases: field.record(field.string(), { default: {} }),
    path: field.string({ minLength: 1 }),
    reasons: field.boolean({ default: true }),
  },
  { required: ['path'] },
)

describe('field', () => {
  it('infers the config type after defaults: defaulted and required keys present, the others optional', () => {
    expectTypeOf<ConfigOf<typeof schema>>().toEqualTypeOf<{
      model: string
      keep: 'all-excellent' | { minMean?: number }
      metrics: { key: string; name?: string }[]
      aliases: Record<string, string>
      path: string
      reasons: boolean
      caption?: string
    }>()
  })

  it('builds a plain closed JSON Schema that the engine validation accepts, applying defaults', () => {
    expect(findOpenObjects(schema)).toEqual([])
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
    const validation = validateConfig(schema, { path: 'out.jsonl', metrics: [{ key: 'a' }] })
    expect(validation).toEqual({
      ok: true,
      config: {
        path: 'out.jsonl',
        metrics: [{ key: 'a' }],
        model: 'vlm',
        keep: 'all-excellent',
        aliases: {},
        reasons: true,
      },
    })
  })

  it('rejects unknown keys, at the top and inside, and values outside an enum', () => {
    const validation = validateConfig(schema, {
      path: 'x',
      fallbak: 1,
      metrics: [{ key: 'a', nmae: 'x' }],
      keep: 'all-excelent',
    })
    expect(validation.ok).toBe(false)
    const errors = 'errors' in validation ? validation.errors : []
    expect(errors.map((error) => [error.keyword, error.instancePath])).toEqual(
      expect.arrayContaining([
        ['additionalProperties', ''],
        ['additionalProperties', '/metrics/0'],
        ['enum', '/keep'],
      ]),
    )
  })
})

describe('findOpenObjects', () => {
  it('lists objects with properties but no additionalProperties, through items and unions', () => {
    expect(
      findOpenObjects({
        type: 'object',
        properties: {
          a: { type: 'object', properties: { b: { type: 'string' } } },
          list: { type: 'array', items: { type: 'object', properties: {}, additionalProperties: false } },
          rule: { anyOf: [{ type: 'string' }, { type: 'object', properties: { x: {} } }] },
        },
      }),
    ).toEqual(['/', '/properties/a', '/properties/rule/anyOf/1'])
  })
})
