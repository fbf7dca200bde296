import { DataflowError, createPromptLoader, defineNode, toAnswerUsage, type NodeInput } from '@dataflow/sdk'
import { buildPrompt } from './build-query.js'
import { reasonerConfigSchema, type ReasonerConfig } from './config-schema.js'
import { extractChoice } from './extract-choice.js'
import { reasonerOutputSchema, type ReasonerOutput } from './reasoner-output.js'
import { toOptions } from './to-options.js'

export type { ReasonerConfig } from './config-schema.js'
export type { ExtractedBy, ExtractedChoice } from './extract-choice.js'
export type { ReasonerOutput } from './reasoner-output.js'
export { extractChoice } from './extract-choice.js'

/**
 * Caption, then reason (CapFlow paper, evaluation): a text-only LLM answers a multiple-choice
 * benchmark question from the caption alone; the chosen letter is extracted and scored.
 */
export default defineNode<ReasonerConfig, ReasonerOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-reasoner',
  version: '0.1.0',
  description:
    'Answers a multiple-choice question from a caption with a text-only reasoning LLM, and scores the extracted choice.',
  config: reasonerConfigSchema,
  writes: reasonerOutputSchema,
  async create(config, context) {
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const template = await loadPrompt(config.prompt, 'reasoner', 'prompt')
    return {
      identity: { template },
      async process(input, item) {
        const caption = readText(
          input,
          config.caption,
          'caption',
          'Run the captioner before this node (list it in `needs`) or point `caption` at its caption field.',
        )
        const question = readText(
          input,
          config.question,
          'question',
          'Point `question` at the item field holding the question.',
        )
        const groundTruth = readText(
          input,
          config.answer,
          'answer',
          'Point `answer` at the item field holding the correct letter.',
        ).toUpperCase()
        const options = toOptions(input.get(config.options), config.options)
        const hint = input.get(config.hint)
        const prompt = buildPrompt(template, {
          caption,
          question,
          options,
          hint: typeof hint === 'string' && hint.trim() !== '' ? hint.trim() : undefined,
        })
        const result = await item.inference.chat(
          {
            model: config.model,
            messages: [{ role: 'user', content: prompt }],
            maxTokens: config.maxTokens,
            temperature: config.temperature,
            topP: config.topP,
          },
          { signal: item.signal },
        )
        const { choice, extractedBy } = extractChoice(result.text, options)
        return {
          answer: result.text,
          choice,
          correct: choice !== null && choice === groundTruth,
          groundTruth,
          extractedBy,
          ...toAnswerUsage(result),
        }
      },
    }
  },
})

function readText(input: NodeInput, path: string, what: string, hint: string): string {
  const value = input.get(path)
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  throw new DataflowError(
    'DATAFLOW_INPUT_INVALID',
    `no ${what} at "${path}" (found ${value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80)})`,
    { hint },
  )
}
