import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatRequest, JsonChatRequest, PreparedMedia } from '@dataflow/sdk'
import { createFakeInference, createFakeMedia, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import llm from './index.js'

const userText = (request: ChatRequest) => {
  const content = request.messages.at(-1)!.content
  return typeof content === 'string'
    ? content
    : content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
}

const review = { item: { text: 'Great battery, awful screen.', lang: 'en' }, outputs: { route: { domain: 'tech' } } }

describe('llm node', () => {
  it('renders the template over the item and upstream outputs and writes the text answer', async () => {
    const inference = createFakeInference((request) => `  echo: ${userText(request)}  `)
    const [outcome] = await runNode(llm, {
      inference,
      config: {
        prompt: 'Summarise this {{route.domain}} review ({{ item.lang }}): {{item.text}}',
        system: 'You answer in {{item.lang}}.',
        temperature: 0.3,
        topP: 0.9,
        maxTokens: 64,
      },
      items: [review],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: {
        text: 'echo: Summarise this tech review (en): Great battery, awful screen.',
        tokens: { prompt: 0, completion: 0 },
      },
    })
    const request = inference.requests[0]!
    expect(request).toMatchObject({ model: 'llm', temperature: 0.3, topP: 0.9, maxTokens: 64 })
    expect(request).not.toHaveProperty('seed')
    expect(request.messages[0]).toEqual({ role: 'system', content: 'You answer in en.' })
  })

  it('writes the fields of a schema-checked JSON answer at the top of its output', async () => {
    const schema = {
      type: 'object',
      properties: { label: { enum: ['positive', 'negative', 'mixed'] }, confidence: { type: 'number' } },
      required: ['label'],
    }
    const inference = createFakeInference(() => ({ label: 'mixed', confidence: 0.8 }))
    const [outcome] = await runNode(llm, {
      inference,
      config: { prompt: 'Classify: {{item.text}}', schema },
      items: [review],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: { label: 'mixed', confidence: 0.8, tokens: { prompt: 0, completion: 0 } },
    })
    const request = inference.requests[0] as JsonChatRequest
    expect(request.schema).toEqual(schema)
    expect(request.schemaName).toBe('node-under-test')
  })

  it('reports an answer that breaks the schema as DATAFLOW_OUTPUT_INVALID', async () => {
    const [outcome] = await runNode(llm, {
      inference: createFakeInference(() => ({ label: 'angry' })),
      config: {
        prompt: 'Classify: {{item.text}}',
        schema: { type: 'object', properties: { label: { enum: ['positive', 'negative'] } }, required: ['label'] },
      },
      items: [review],
    })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_OUTPUT_INVALID' } })
  })

  it('draws n samples with distinct seeds, so neither the server nor the request cache repeats one', async () => {
    const inference = createFakeInference((request) => `sample with seed ${request.seed}`)
    const [outcome] = await runNode(llm, {
      inference,
      config: { prompt: 'Rewrite: {{item.text}}', n: 3, seed: 10, temperature: 0.8 },
      items: [review],
    })
    expect(outcome).toMatchObject({
      status: 'done',
      output: { samples: ['sample with seed 10', 'sample with seed 11', 'sample with seed 12'] },
    })
    expect(inference.requests.map((request) => request.seed)).toEqual([10, 11, 12])
  })

  it('shows the media before the prompt when `media` is set', async () => {
    const image = await createFakeMedia().prepareImage('/data/cat.jpg')
    const media: PreparedMedia = { modality: 'image', image, originalWidth: 448, originalHeight: 448 }
    const inference = createFakeInference(() => 'a cat')
    await runNode(llm, {
      inference,
      config: { model: 'vlm', prompt: 'What is this?', media: 'media' },
      items: [{ outputs: { media } }],
    })
    expect(inference.requests[0]!.messages[0]!.content).toEqual([
      { type: 'image', image },
      { type: 'text', text: 'What is this?' },
    ])
  })

  it('never sends a prompt with a hole: a placeholder without a value is an input error naming it', async () => {
    const inference = createFakeInference(() => 'unused')
    const outcomes = await runNode(llm, {
      inference,
      config: { prompt: 'Translate {{item.title}}: {{item.text}}' },
      items: [{ item: { text: 'hello' } }, { item: { text: 'hello', title: null } }],
    })
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
      expect(outcome.status === 'error' && outcome.error.message).toContain('{{item.title}} has no value')
    }
    expect(inference.requests).toHaveLength(0)
  })

  it('reads prompt files relative to the pipeline and renders lists and objects as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-'))
    await writeFile(join(dir, 'ask.md'), 'Tags: {{item.tags}}\nMeta: {{item.meta}}\n')
    const inference = createFakeInference(() => 'ok')
    await runNode(llm, {
      inference,
      baseDir: dir,
      config: { prompt: 'ask.md' },
      items: [{ item: { tags: ['a', 'b'], meta: { stars: 4 } } }],
    })
    expect(userText(inference.requests[0]!)).toBe('Tags: ["a","b"]\nMeta: {"stars":4}')
  })

  it('refuses a schema that declares a field the node writes itself', async () => {
    await expect(
      runNode(llm, {
        config: { prompt: 'x', schema: { type: 'object', properties: { tokens: { type: 'integer' } } } },
        items: [],
      }),
    ).rejects.toThrow(/invalid config/)
  })
})

describe('llm writes', () => {
  const writes = (config: Record<string, unknown>) => {
    const write = llm.writes
    if (typeof write !== 'function') throw new Error('llm.writes depends on the config')
    return write(config as unknown as Parameters<typeof write>[0])
  }
  it('types the schema fields so that `when` and sinks can read them', () => {
    const schema = { type: 'object', properties: { label: { enum: ['a', 'b'] } }, required: ['label'] }
    expect(writes({ prompt: 'x', n: 1, schema })).toMatchObject({
      properties: { label: { enum: ['a', 'b'] }, tokens: { type: 'object' } },
      required: ['label', 'tokens'],
    })
    expect(writes({ prompt: 'x', n: 1 })).toMatchObject({ properties: { text: { type: 'string' } } })
    expect(writes({ prompt: 'x', n: 4, schema })).toMatchObject({
      properties: { samples: { type: 'array', items: schema } },
      additionalProperties: false,
    })
  })
})
