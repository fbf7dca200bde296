import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FIXTURES } from '../../test/write-pipeline.js'
import {
  generatePipelineSchema,
  SCHEMA_FILE,
  SCHEMA_ID,
  toSchemaText,
} from '../../scripts/generate-pipeline-schema.mjs'
import { readPipelineSchema } from './pipeline-schema.js'

describe('pipeline.schema.json', () => {
  it('is up to date with pipeline-file.ts and @dataflow/inference (run `npm run build` in packages/core if not)', async () => {
    const generated = toSchemaText(await generatePipelineSchema())
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated)
  }, 30_000)

  it('is the schema the loader validates against', () => {
    expect(readPipelineSchema()).toEqual(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')))
  })

  it('has an id, a title and descriptions for editors, models entries included', () => {
    const schema = readPipelineSchema() as Record<string, any>
    expect(schema['$id']).toBe(SCHEMA_ID)
    expect(schema['title']).toBe('dataflow pipeline file')
    expect(schema['description']).toMatch(/^A dataflow pipeline file/)
    expect(schema['properties'].models.additionalProperties).toEqual({ $ref: '#/definitions/ModelConfig' })
    const model = schema['definitions'].ModelConfig
    expect(model.required).toEqual(['model'])
    for (const [name, property] of Object.entries<Record<string, unknown>>(model.properties)) {
      expect(property['description'], `models.<name>.${name}`).toEqual(expect.any(String))
    }
    for (const [name, definition] of Object.entries<Record<string, any>>(schema['definitions'])) {
      for (const [key, property] of Object.entries<Record<string, unknown>>(definition.properties ?? {})) {
        expect(property['description'], `${name}.${key}`).toEqual(expect.any(String))
      }
    }
  })

  it('accepts ${VAR} text where a pattern applies, as editors see the file before substitution', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(readPipelineSchema())
    const raw = parse(readFileSync(join(FIXTURES, 'three-nodes.yaml'), 'utf8')) as Record<string, any>
    expect(raw['models'].vlm.baseURL).toBe('${VLM_URL:-http://127.0.0.1:8000/v1}')
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...raw, models: { vlm: { model: 'm', baseURL: 'ftp://h' } } })).toBe(false)
  })
})
