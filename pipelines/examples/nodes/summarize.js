// A local node calling a model through the injected inference client (shared pool, retries, accounting).
import { DataflowError, defineNode, modelField, pathField } from '@dataflow/sdk'

export default defineNode({
  specVersion: 1,
  name: 'summarize',
  description: 'Asks a text LLM for a one-sentence summary.',
  config: {
    type: 'object',
    properties: {
      model: modelField('Model that writes the summary.', 'llm'),
      text: pathField('Path of the text to summarise.', 'item.text'),
      maxTokens: { type: 'integer', minimum: 1, default: 64, description: 'Longest summary, in tokens.' },
    },
    additionalProperties: false,
  },
  writes: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
  create(config) {
    return {
      async process(input, context) {
        const text = input.get(config.text)
        if (typeof text !== 'string') throw new DataflowError('DATAFLOW_INPUT_INVALID', `no text at ${config.text}`)
        const answer = await context.inference.chat(
          {
            model: config.model,
            maxTokens: config.maxTokens,
            messages: [{ role: 'user', content: `Summarise in one sentence:\n${text}` }],
          },
          { signal: context.signal },
        )
        return { summary: answer.text }
      },
    }
  },
})
