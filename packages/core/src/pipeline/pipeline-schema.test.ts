import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generatePipelineSchema, SCHEMA_FILE, SCHEMA_ID, toSchemaText } from '../../scripts/generate-pipeline-schema.mjs'
import { readPipelineSchema } from './pipeline-schema.js'

describe('pipeline.schema.json', () => {
  it('is up to date with pipeline-file.ts and @dataflow/inference (run `npm run build` in packages/core if not)', async () => {
    const generated = toSchemaText(await generatePipelineSchema()) as string
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
})
