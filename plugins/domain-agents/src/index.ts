import {
  DataflowError,
  createPromptLoader,
  defineNode,
  mediaFirst,
  readPreparedMedia,
  toAnswerUsage,
  type ChatMessage,
} from '@dataflow/sdk'
import { checkPlaceholders, renderForItem, toTemplateValues } from './agent-prompt.js'
import { agentConfigSchema, type AgentConfig } from './config-schema.js'
import { defaultMaxTokens, ROLES, VIDEO_ROLES } from './roles.js'
import { agentOutputSchema, type AgentOutput } from './agent-output.js'

export type { AgentConfig } from './config-schema.js'
export type { AgentOutput } from './agent-output.js'
export { ROLES, type Role } from './roles.js'

/**
 * A CapFlow functional agent: one VLM call with the item's media first and a role prompt
 * (built-in catalogue or the user's own), answering in plain text.
 */
export default defineNode<AgentConfig, AgentOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-domain-agents',
  version: '0.1.0',
  description:
    'A functional agent: one VLM call with a role prompt (OCR, perception, reasoning...) over the item media.',
  config: agentConfigSchema,
  writes: agentOutputSchema,
  async create(config, context) {
    if (config.role === undefined && config.prompt === undefined) {
      throw new DataflowError(
        'DATAFLOW_CONFIG_INVALID',
        `set \`role\` (one of ${ROLES.join(', ')}) or a custom \`prompt\``,
      )
    }
    const role = config.role ?? context.nodeId
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const template = await loadPrompt(config.prompt, config.role ?? '', 'prompt')
    const system = config.system === undefined ? undefined : await loadPrompt(config.system, '', 'system')
    const videoOnly = config.role !== undefined && VIDEO_ROLES.has(config.role)
    // Prompts written for one image get a preamble when the media is a clip; video roles speak of frames already.
    const preamble = videoOnly ? undefined : await loadPrompt(undefined, 'frames-preamble', 'prompt')
    checkPlaceholders(template, config.vars, 'prompt')
    if (system !== undefined) checkPlaceholders(system, config.vars, 'system')
    const maxTokens = config.maxTokens ?? defaultMaxTokens(config.role)

    return {
      identity: { role, template, system, preamble },
      async process(input, item) {
        const media = readPreparedMedia(input, config.media)
        if (videoOnly && media.video === undefined) {
          throw new DataflowError(
            'DATAFLOW_INPUT_INVALID',
            `the ${role} agent needs video frames, but "${config.media}" holds an image`,
            {
              hint: "Run video roles only for video items, e.g. `when: route.domain == 'video'`.",
            },
          )
        }
        const values = toTemplateValues(config.vars, role, input.get(config.domainField), media)
        const prompt = renderForItem(template, values, config.domainField)
        const text =
          media.video && preamble !== undefined
            ? `${renderForItem(preamble, values, config.domainField)}\n\n${prompt}`
            : prompt
        const messages: ChatMessage[] = [
          ...(system === undefined
            ? []
            : [{ role: 'system' as const, content: renderForItem(system, values, config.domainField) }]),
          { role: 'user', content: mediaFirst(media, text) },
        ]
        const result = await item.inference.chat(
          {
            model: config.model,
            messages,
            maxTokens,
            ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
          },
          { signal: item.signal },
        )
        const answer = result.text.trim()
        if (answer === '') {
          throw new DataflowError('DATAFLOW_OUTPUT_INVALID', `the ${role} agent returned an empty answer`, {
            details: { raw: result.text, finishReason: result.finishReason },
          })
        }
        return {
          role,
          text: answer,
          ...toAnswerUsage(result),
        }
      },
    }
  },
})
