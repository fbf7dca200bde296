import {
  DataflowError,
  answerUsageProperties,
  createPromptLoader,
  defineNode,
  renderTemplate,
  toAnswerUsage,
  type AnswerUsage,
  type JsonSchema,
} from '@dataflow/sdk'
import { collectNotes, formatMissing, formatNotes } from './collect-notes.js'
import { aggregatorConfigSchema, type AggregatorConfig } from './config-schema.js'

export type { AggregatorConfig } from './config-schema.js'

/** What the aggregator writes. */
export interface SummaryOutput extends Record<string, unknown>, AnswerUsage {
  caption: string
  /** Roles whose notes were fused, in order. */
  agents: string[]
  /** What each agent said, by role: the record keeps every agent's output next to the caption. */
  notes: Record<string, string>
  /** Node ids of agents that failed; the caption was written without them. */
  failedAgents: string[]
}

const writes: JsonSchema = {
  type: 'object',
  properties: {
    caption: { type: 'string' },
    agents: { type: 'array', items: { type: 'string' } },
    notes: { type: 'object', additionalProperties: { type: 'string' } },
    failedAgents: { type: 'array', items: { type: 'string' } },
    ...answerUsageProperties,
  },
  required: ['caption', 'agents', 'notes', 'failedAgents', 'tokens'],
}

/** A label some models put before the caption despite the prompt. */
const LEADING_LABEL = /^\s*(?:\*\*|#+\s*)?(?:final\s+)?caption\s*(?:\*\*)?\s*:\s*(?:\*\*)?\s*/i

const MISSING_LINE = /^[ \t]*\{\{\s*missing\s*\}\}[ \t]*(?:\r?\n)*/gm

/**
 * The CapFlow summary agent: a text-only LLM fuses the notes of the agents that ran (its `needs`)
 * into one caption, grounded in the perception and OCR notes.
 */
export default defineNode<AggregatorConfig, SummaryOutput>({
  specVersion: 1,
  name: '@dataflow/plugin-aggregator',
  version: '0.1.0',
  description: 'Fuses the outputs of the functional agents into one caption with a text-only LLM.',
  config: aggregatorConfigSchema,
  writes,
  async create(config, context) {
    const loadPrompt = createPromptLoader(new URL('../prompts/', import.meta.url), context)
    const imagePrompt = await loadPrompt(config.prompt, 'general-summary', 'prompt')
    const videoPrompt = await loadPrompt(config.videoPrompt, 'video-summary', 'videoPrompt')
    for (const [field, template] of [
      ['prompt', imagePrompt],
      ['videoPrompt', videoPrompt],
    ] as const) {
      if (!/\{\{\s*notes\s*\}\}/.test(template)) {
        throw new DataflowError(
          'DATAFLOW_CONFIG_INVALID',
          `${field}: the prompt has no {{notes}} placeholder, so the agent outputs would never reach the model`,
        )
      }
    }

    return {
      identity: { imagePrompt, videoPrompt },
      async process(input, item) {
        const { notes, failed } = collectNotes(input.needs)
        if (notes.length === 0) {
          throw new DataflowError(
            'DATAFLOW_NODE_FAILED',
            `no agent output to summarise; failed: ${failed.length === 0 ? 'none' : failed.join(', ')}`,
            {
              hint: "List the agent nodes under this node's `needs`; see their error records for why they failed.",
              details: {
                failedAgents: failed,
                needs: input.needs.map((need) => ({ node: need.node, status: need.status })),
              },
            },
          )
        }
        const template = input.get(config.modalityField) === 'video' ? videoPrompt : imagePrompt
        const missing = formatMissing(failed)
        // Without failures the {{missing}} line goes away with its blank lines; the notes are left untouched.
        const prompt = renderTemplate(missing === '' ? template.replace(MISSING_LINE, '') : template, {
          notes: formatNotes(notes),
          missing,
        })
        const result = await item.inference.chat(
          {
            model: config.model,
            messages: [{ role: 'user', content: prompt }],
            maxTokens: config.maxTokens,
            ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
          },
          { signal: item.signal },
        )
        const caption = result.text.replace(LEADING_LABEL, '').trim()
        if (caption === '') {
          throw new DataflowError('DATAFLOW_OUTPUT_INVALID', 'the summary model returned an empty caption', {
            details: { raw: result.text, finishReason: result.finishReason },
          })
        }
        return {
          caption,
          agents: notes.map((note) => note.role),
          notes: Object.fromEntries(notes.map((note) => [note.role, note.text])),
          failedAgents: failed,
          ...toAnswerUsage(result),
        }
      },
    }
  },
})
