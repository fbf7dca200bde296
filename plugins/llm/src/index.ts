import {
  compileItemTemplate,
  defineNode,
  loadPromptSetting,
  mediaFirst,
  readPreparedMedia,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ItemContext,
  type NodeInput,
} from '@dataflow/sdk'
import { llmConfigSchema, type LlmConfig } from './config-schema.js'
import { toLlmOutputSchema, type LlmOutput } from './llm-output.js'

export type { LlmConfig } from './config-schema.js'
export type { LlmOutput } from './llm-output.js'

/**
 * The generic LLM node: renders a prompt template over the item and upstream outputs, optionally
 * shows the item's media first, and writes a text answer or the fields of a schema-checked JSON
 * answer; `n` independent samples on request.
 */
export default defineNode<LlmConfig, LlmOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-llm',
  version: '0.1.0',
  description: 'Asks a model with a prompt template over any field; writes its text, or the fields of a JSON answer.',
  config: llmConfigSchema,
  writes: toLlmOutputSchema,
  async create(config, context) {
    const prompt = compileItemTemplate(await loadPromptSetting(config.prompt, context, 'prompt'), 'prompt')
    const system =
      config.system === undefined
        ? undefined
        : compileItemTemplate(await loadPromptSetting(config.system, context, 'system'), 'system')
    if (config.n > 1 && config.temperature === 0)
      context.logger.warn({ n: config.n }, 'n > 1 with temperature 0: the samples will be (nearly) identical')
    const seeds = Array.from({ length: config.n }, (_, index) =>
      config.n === 1 ? config.seed : (config.seed ?? 0) + index,
    )
    const schemaName = context.nodeId

    const requestFor = (input: NodeInput, seed: number | undefined): ChatRequest => {
      const text = prompt.render(input)
      const media = config.media === undefined ? undefined : readPreparedMedia(input, config.media)
      const messages: ChatMessage[] = []
      if (system) messages.push({ role: 'system', content: system.render(input) })
      messages.push({ role: 'user', content: media ? mediaFirst(media, text) : text })
      return {
        model: config.model,
        messages,
        ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
        ...(config.topP === undefined ? {} : { topP: config.topP }),
        ...(seed === undefined ? {} : { seed }),
      }
    }

    const sample = async (
      request: ChatRequest,
      item: ItemContext,
    ): Promise<{ answer: unknown; result: ChatResult }> => {
      if (config.schema === undefined) {
        const result = await item.inference.chat(request, { signal: item.signal })
        return { answer: result.text.trim(), result }
      }
      const result = await item.inference.chatJson<Record<string, unknown>>(
        { ...request, schema: config.schema, schemaName },
        { signal: item.signal },
      )
      return { answer: result.value, result }
    }

    return {
      identity: { prompt: prompt.source, system: system?.source },
      async process(input, item) {
        const requests = seeds.map((seed) => requestFor(input, seed))
        const answers = await Promise.all(requests.map((request) => sample(request, item)))
        const usage = {
          tokens: {
            prompt: answers.reduce((sum, { result }) => sum + result.usage.promptTokens, 0),
            completion: answers.reduce((sum, { result }) => sum + result.usage.completionTokens, 0),
          },
          ...(answers.some(({ result }) => result.finishReason === 'length') ? { truncated: true as const } : {}),
        }
        if (config.n > 1) return { samples: answers.map(({ answer }) => answer), ...usage }
        const answer = answers[0]!.answer
        if (config.schema === undefined) return { text: answer as string, ...usage }
        return { ...(answer as Record<string, unknown>), ...usage }
      },
    }
  },
})
