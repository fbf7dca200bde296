import {
  DataflowError,
  createPromptLoader,
  defineNode,
  isDataflowError,
  mediaFirst,
  readPreparedMedia,
  renderTemplate,
  type JsonSchema,
} from '@dataflow/sdk'
import { routerConfigSchema, type RouterConfig } from './config-schema.js'
import { DEFAULT_DOMAINS, VIDEO_DOMAIN, type DomainSpec } from './default-domains.js'
import { createDomainResolver } from './domain-aliases.js'
import { parseRouteAnswer, toConfidence, type ParsedRouteAnswer } from './parse-route-answer.js'
import { toRouteOutputSchema, type RouteOutput } from './route-output.js'

export type { RouterConfig } from './config-schema.js'
export type { DomainSpec } from './config-schema.js'
export type { DecidedBy, RouteOutput } from './route-output.js'

/**
 * The CapFlow domain router. An item's task decides without a model call, video items go to
 * `video`, and other images are classified by a VLM; unusable answers take the fallback domain.
 */
export default defineNode<RouterConfig, RouteOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-router',
  version: '0.1.0',
  description: 'Chooses the CapFlow domain of an item: from its task, its modality, or by asking a VLM.',
  config: routerConfigSchema,
  writes: (config) => toRouteOutputSchema(acceptedKeys(config.domains ?? DEFAULT_DOMAINS)),
  async create(config, context) {
    const keys = config.domains.map((domain) => domain.key)
    const duplicate = keys.find((key, index) => keys.indexOf(key) !== index)
    if (duplicate !== undefined)
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `domains: the key "${duplicate}" appears twice`)
    if (!keys.includes(config.fallback)) {
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `fallback: "${config.fallback}" is not one of the domains`, {
        hint: `Use one of: ${keys.join(', ')}.`,
      })
    }
    const resolver = createDomainResolver(config.domains, config.aliases)
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const template = await loadPrompt(config.prompt, 'router', 'prompt')
    const prompt = renderTemplate(template, { domains: describeDomains(config.domains), keys: keys.join(', ') })
    const schema = toAnswerSchema(keys)

    const decide = (parsed: ParsedRouteAnswer, raw: string | undefined): RouteOutput => {
      const base = {
        ...(raw === undefined ? {} : { raw }),
        ...(parsed.reason === undefined ? {} : { reason: parsed.reason }),
      }
      const confidence = parsed.confidence === undefined ? {} : { confidence: parsed.confidence }
      const fallback = (why: string): RouteOutput => ({
        domain: config.fallback,
        ...confidence,
        decidedBy: 'fallback',
        ...base,
        fallback: true,
        fallbackReason: why,
      })
      if (parsed.domain === undefined || !keys.includes(parsed.domain))
        return fallback('the answer names no known domain')
      if (parsed.confidence === undefined && config.minConfidence > 1)
        return fallback(
          `the answer "${parsed.domain}" gives no confidence and minConfidence is ${config.minConfidence}`,
        )
      if (parsed.confidence !== undefined && parsed.confidence < config.minConfidence) {
        return fallback(
          `the answer "${parsed.domain}" has confidence ${parsed.confidence}, below minConfidence ${config.minConfidence}`,
        )
      }
      return { domain: parsed.domain, ...confidence, decidedBy: 'model', ...base }
    }

    return {
      identity: { prompt },
      async process(input, item) {
        const task = input.get(config.taskField)
        if (task !== undefined && task !== null && task !== '') {
          const domain = typeof task === 'string' ? resolver.toDomainKey(task) : undefined
          if (domain === undefined) {
            throw new DataflowError(
              'DATAFLOW_INPUT_INVALID',
              `task ${JSON.stringify(task)} at "${config.taskField}" is not a known domain; accepted: ${resolver.keys.join(', ')} (or their names and aliases)`,
              {
                hint: "Fix the task in the annotation or metafile, or map this spelling to a domain under the router's `aliases`.",
              },
            )
          }
          return { domain, decidedBy: 'task' }
        }
        if (input.get(config.modalityField) === 'video') return { domain: VIDEO_DOMAIN, decidedBy: 'modality' }

        const media = readPreparedMedia(input, config.media)
        try {
          const result = await item.inference.chatJson<{ domain: string; confidence: number; reason?: string }>(
            {
              model: config.model,
              messages: [{ role: 'user', content: mediaFirst(media, prompt) }],
              schema,
              schemaName: 'route',
              maxTokens: config.maxTokens,
              temperature: config.temperature,
            },
            { signal: item.signal },
          )
          const domain = resolver.toDomainKey(result.value.domain)
          const confidence = toConfidence(result.value.confidence)
          return decide(
            {
              ...(domain === undefined ? {} : { domain }),
              ...(confidence === undefined ? {} : { confidence }),
              ...(typeof result.value.reason === 'string' ? { reason: result.value.reason } : {}),
            },
            result.text,
          )
        } catch (error) {
          if (!isDataflowError(error) || error.code !== 'DATAFLOW_OUTPUT_INVALID') throw error
          const raw = error.details?.['raw']
          const output = typeof raw === 'string' ? decide(parseRouteAnswer(raw, resolver), raw) : decide({}, undefined)
          item.logger.debug(
            { domain: output.domain, decidedBy: output.decidedBy, fallbackReason: output.fallbackReason },
            'router answer was not valid JSON; parsed it as text',
          )
          return output
        }
      },
    }
  },
})

/** Keys the router can write: the configured domains and `video`. */
function acceptedKeys(domains: readonly DomainSpec[]): string[] {
  return [...new Set([...domains.map((domain) => domain.key), VIDEO_DOMAIN])]
}

function describeDomains(domains: readonly DomainSpec[]): string {
  return domains
    .map((domain) => {
      const rules = (domain.rules ?? []).map((rule) => `\n  Boundary: ${rule}`).join('')
      return `- ${domain.key} (${domain.name}): ${domain.description}${rules}`
    })
    .join('\n')
}

function toAnswerSchema(keys: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: {
      domain: { type: 'string', enum: keys },
      confidence: { type: 'integer', minimum: 1, maximum: 3 },
      reason: { type: 'string' },
    },
    required: ['domain', 'confidence'],
    additionalProperties: false,
  }
}
