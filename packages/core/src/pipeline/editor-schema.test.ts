import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { field, modelField } from '@dataflow/sdk'
import { buildEditorSchema } from './editor-schema.js'
import { readPipelineSchema } from './pipeline-schema.js'

const judge = {
  uses: '@acme/plugin-judge',
  definition: {
    kind: 'node' as const,
    description: 'Judges.',
    config: field.object({
      model: modelField('Judge model.', 'vlm'),
      keep: field.enum(['all-excellent', 'any'], { default: 'all-excellent' }),
      fallback: field.string(),
    }),
  },
}
const jsonl = {
  uses: '@acme/sink-jsonl',
  definition: {
    kind: 'sink' as const,
    description: 'Writes.',
    config: field.object({ path: field.string() }, { required: ['path'] }),
  },
}

const pipeline = (judgeWith: Record<string, unknown>, sinkWith: Record<string, unknown> = { path: 'out.jsonl' }) => ({
  version: 1,
  name: 'p',
  source: { uses: './my-source.js', with: { anything: true } },
  nodes: { judge: { uses: '@acme/plugin-judge', with: judgeWith }, other: { uses: './local.js', with: { free: 1 } } },
  sinks: { out: { uses: '@acme/sink-jsonl', with: sinkWith } },
})

describe('buildEditorSchema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(
    buildEditorSchema(readPipelineSchema(), [judge, jsonl]),
  )

  it("checks each plugin's with: against its own schema: unknown keys and values outside an enum", () => {
    expect(validate(pipeline({ keep: 'any', fallback: 'natural' })), JSON.stringify(validate.errors)).toBe(true)
    expect(validate(pipeline({ fallbak: 'natural' }))).toBe(false)
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'fallbak' } }),
    )
    expect(validate(pipeline({ keep: 'all-excelent' }))).toBe(false)
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'enum', instancePath: '/nodes/judge/with/keep' }),
    )
    expect(validate(pipeline({}, { pth: 'x' }))).toBe(false)
  })

  it('leaves plugins it does not know free, and offers the known uses: values', () => {
    const schema = buildEditorSchema(readPipelineSchema(), [judge, jsonl]) as Record<string, any>
    expect(schema['definitions'].NodeSpec.properties.uses.examples).toEqual(['@acme/plugin-judge'])
    expect(schema['definitions'].SinkSpec.properties.uses.examples).toEqual(['@acme/sink-jsonl'])
    expect(schema['definitions'].PluginUse.properties.uses.examples).toBeUndefined()
    expect(readPipelineSchema()['definitions']).not.toHaveProperty('NodeSpec.allOf')
  })
})
