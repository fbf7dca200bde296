import { describe, expect, it } from 'vitest'
import { defineNode } from '../define.js'
import { DataflowError } from '../errors.js'
import { field } from '../config/config-field.js'
import { pathField } from '../json-schema.js'
import { reject } from '../result.js'
import { createFakeInference } from './fake-inference.js'
import { runNode } from './run-node.js'

const echo = defineNode({
  specVersion: 1,
  name: 'echo',
  description: 'test node',
  config: field.object({ field: pathField('what to read', 'item.text'), threshold: field.integer({ default: 3 }) }),
  writes: { type: 'object', properties: { answer: { type: 'string' } } },
  create(config) {
    return {
      async process(input, context) {
        const text = input.get(config.field)
        if (typeof text !== 'string') throw new DataflowError('DATAFLOW_INPUT_INVALID', 'no text')
        if (text.length < config.threshold) return reject('too short', { details: { length: text.length } })
        const { value } = await context.inference.chatJson<{ answer: string }>({
          model: 'llm',
          schemaName: 'answer',
          schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
          messages: [{ role: 'user', content: text }],
        })
        return { answer: value.answer, upstream: input.output('prev') ?? null }
      },
    }
  },
})

describe('runNode', () => {
  it('applies config defaults and reports done, rejected and error outcomes', async () => {
    const inference = createFakeInference((request) => {
      const content = request.messages[0]!.content
      return { answer: `re: ${typeof content === 'string' ? content : JSON.stringify(content)}` }
    })
    const outcomes = await runNode(echo, {
      inference,
      items: [{ item: { text: 'hello' }, outputs: { prev: { n: 1 } } }, { item: { text: 'hi' } }, { item: {} }],
    })
    expect(outcomes).toEqual([
      { id: '0', status: 'done', output: { answer: 're: hello', upstream: { n: 1 } } },
      { id: '1', status: 'rejected', reason: 'too short', details: { length: 2 } },
      { id: '2', status: 'error', error: expect.objectContaining({ code: 'DATAFLOW_INPUT_INVALID' }) },
    ])
    expect(inference.requests).toHaveLength(1)
  })

  it('validates the config like the engine does: types, unknown keys', async () => {
    await expect(runNode(echo, { config: { threshold: 'x' }, items: [] })).rejects.toThrow(
      /invalid config for echo: with.threshold must be integer/,
    )
    await expect(runNode(echo, { config: { treshold: 4 }, items: [] })).rejects.toMatchObject({
      code: 'DATAFLOW_CONFIG_INVALID',
      message: expect.stringContaining('must NOT have additional properties (treshold)'),
    })
  })

  it('refuses a config schema that accepts unknown keys, as the engine does', async () => {
    const open = defineNode({ ...echo, config: { type: 'object', properties: { field: { type: 'string' } } } })
    await expect(runNode(open, { items: [] })).rejects.toMatchObject({ code: 'DATAFLOW_PLUGIN_INVALID' })
  })

  it('turns answers that break the schema into DATAFLOW_OUTPUT_INVALID with the raw answer', async () => {
    const [outcome] = await runNode(echo, {
      inference: createFakeInference(() => ({ wrong: true })),
      items: [{ item: { text: 'hello' } }],
    })
    expect(outcome).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_OUTPUT_INVALID', details: { raw: '{"wrong":true}' } },
    })
  })
})
