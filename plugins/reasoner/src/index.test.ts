import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatResult, InferenceClient } from '@dataflow/sdk'
import { createFakeInference, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import reasoner from './index.js'

const item = {
  question: 'Which fruit sold the most boxes?',
  options: { A: 'Pears', B: 'Apples', C: 'Plums', D: 'Grapes' },
  answer: 'B',
}
const caption = 'A bar chart titled "Fruit sales (boxes)": Apples 12, Pears 7, Plums 9.'
const benchmarkItem = { item, outputs: { caption: { caption } } }

describe('reasoner', () => {
  it('asks the text model exactly as the paper does, with its sampling settings', async () => {
    const inference = createFakeInference(() => '<think>Apples is 12.</think>\nThe answer is B.', ['reasoner'])
    const [outcome] = await runNode(reasoner, { inference, items: [benchmarkItem] })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: {
        answer: '<think>Apples is 12.</think>\nThe answer is B.',
        choice: 'B',
        correct: true,
        groundTruth: 'B',
        extractedBy: 'explicit',
        tokens: { prompt: 0, completion: 0 },
      },
    })
    const request = inference.requests[0]!
    expect(request).toMatchObject({ model: 'reasoner', temperature: 0.7, topP: 0.95, maxTokens: 4096 })
    expect(request.messages).toEqual([
      {
        role: 'user',
        content:
          'The detailed caption of the provided image: A bar chart titled "Fruit sales (boxes)": Apples 12, Pears 7, Plums 9.\n' +
          'Which fruit sold the most boxes?\nA. Pears\nB. Apples\nC. Plums\nD. Grapes\n Please think step by step.',
      },
    ])
  })

  it('puts the hint before the question, and letters list options', async () => {
    const inference = createFakeInference(() => 'Answer: A', ['reasoner'])
    const [outcome] = await runNode(reasoner, {
      inference,
      items: [
        {
          item: { ...item, options: ['Pears', 'Apples'], hint: 'Count the boxes.' },
          outputs: { caption: { caption } },
        },
      ],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { choice: 'A', correct: false, groundTruth: 'B' } })
    expect(inference.requests[0]!.messages[0]!.content).toBe(
      `The detailed caption of the provided image: ${caption}\nCount the boxes.\nWhich fruit sold the most boxes?\nA. Pears\nB. Apples\n Please think step by step.`,
    )
  })

  it('scores an answer without a choice as wrong, and marks answers cut at maxTokens', async () => {
    const inference: InferenceClient = {
      ...createFakeInference(() => ''),
      chat: async (): Promise<ChatResult> => ({
        text: '<think>Comparing A and B, the',
        finishReason: 'length',
        usage: { promptTokens: 80, completionTokens: 64 },
        servedModel: 'r1',
        latencyMs: 1,
        attempts: 1,
        cached: false,
      }),
    }
    const [outcome] = await runNode(reasoner, { inference, items: [benchmarkItem], config: { maxTokens: 64 } })
    expect(outcome).toMatchObject({
      status: 'done',
      output: {
        choice: null,
        correct: false,
        extractedBy: 'none',
        truncated: true,
        tokens: { prompt: 80, completion: 64 },
      },
    })
  })

  it('reads other paths and takes a prompt file relative to the pipeline with all placeholders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reasoner-'))
    await writeFile(
      join(dir, 'ask.md'),
      'Caption: {{caption}}\nHint: {{hint}}\nQ: {{question}}\n{{options}}Answer with a letter.\n',
    )
    const inference = createFakeInference(() => 'c', ['llm'])
    const [outcome] = await runNode(reasoner, {
      inference,
      baseDir: dir,
      config: {
        model: 'llm',
        prompt: 'ask.md',
        caption: 'summary.text',
        question: 'item.q',
        options: 'item.choices',
        answer: 'item.gt',
        temperature: 0,
        topP: 1,
      },
      items: [
        {
          item: { q: 'Colour?', choices: { A: 'red', B: 'blue', C: 'green' }, gt: 'c' },
          outputs: { summary: { text: 'A green square.' } },
        },
      ],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { choice: 'C', correct: true, groundTruth: 'C' } })
    expect(inference.requests[0]).toMatchObject({ model: 'llm', temperature: 0, topP: 1 })
    expect(inference.requests[0]!.messages[0]!.content).toBe(
      'Caption: A green square.\nHint: \nQ: Colour?\nA. red\nB. blue\nC. green\nAnswer with a letter.',
    )
  })

  it('fails the item with DATAFLOW_INPUT_INVALID when the caption is missing or empty, without a model call', async () => {
    const inference = createFakeInference(() => {
      throw new Error('no call expected')
    }, ['reasoner'])
    const outcomes = await runNode(reasoner, {
      inference,
      items: [
        { item, statuses: { caption: 'failed' } },
        { item, outputs: { caption: { caption: '  ' } } },
        { item: { ...item, options: {} }, outputs: { caption: { caption } } },
      ],
    })
    expect(outcomes.map((outcome) => outcome.status === 'error' && outcome.error.code)).toEqual([
      'DATAFLOW_INPUT_INVALID',
      'DATAFLOW_INPUT_INVALID',
      'DATAFLOW_INPUT_INVALID',
    ])
    expect(outcomes[0]!.status === 'error' && outcomes[0]!.error.message).toBe(
      'no caption at "caption.caption" (found nothing)',
    )
    expect(outcomes[2]!.status === 'error' && outcomes[2]!.error.message).toMatch(/^no options at "item.options"/)
    expect(inference.requests).toHaveLength(0)
  })

  it('has an identity that changes with the prompt', async () => {
    const context = {
      nodeId: 'reasoner',
      logger: {} as never,
      signal: new AbortController().signal,
      inference: createFakeInference(() => ''),
      media: {} as never,
      resolvePath: (path: string) => path,
      compileExpression: () => {
        throw new Error('not used')
      },
      stateDir: '',
    }
    const defaults = {
      model: 'reasoner',
      caption: 'caption.caption',
      question: 'item.question',
      options: 'item.options',
      answer: 'item.answer',
      hint: 'item.hint',
      maxTokens: 4096,
      temperature: 0.7,
      topP: 0.95,
    }
    const identity = async (prompt?: string) =>
      (await reasoner.create({ ...defaults, ...(prompt === undefined ? {} : { prompt }) }, context)).identity
    expect(await identity()).toEqual({
      template: 'The detailed caption of the provided image: {{caption}}\n{{query}} Please think step by step.',
    })
    expect(await identity('{{caption}}\n{{query}}')).not.toEqual(await identity())
  })
})
