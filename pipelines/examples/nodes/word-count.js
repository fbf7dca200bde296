// A local node: plain JavaScript, no build step, imports only @dataflow/sdk.
import { defineNode, pathField } from '@dataflow/sdk'

export default defineNode({
  specVersion: 1,
  name: 'word-count',
  description: 'Counts the words of a text field.',
  config: {
    type: 'object',
    properties: { text: pathField('Path of the text to count.', 'item.text') },
    additionalProperties: false,
  },
  writes: { type: 'object', properties: { words: { type: 'integer' } }, required: ['words'] },
  create(config) {
    return {
      process(input) {
        const text = input.get(config.text)
        return { words: typeof text === 'string' ? text.split(/\s+/).filter(Boolean).length : 0 }
      },
    }
  },
})
