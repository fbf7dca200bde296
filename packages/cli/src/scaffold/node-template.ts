/** The source files of a scaffolded node package, as text; `{{...}}` are filled by scaffoldNode. */

export const CONFIG_SCHEMA_TS = `import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the node's \`with:\`: the one source of its config (the type below is inferred). */
export const configSchema = field.object({
  model: modelField('Model that answers (a key of the pipeline\\'s \`models:\`).', 'llm'),
  text: pathField('Path of the text to work on, e.g. \`item.text\` or \`summary.caption\`.', 'item.text'),
  prompt: field.string({
    minLength: 1,
    default: 'Summarize the following text in one sentence.\\n\\n{{text}}',
    description: 'Prompt sent to the model; {{text}} is replaced by the text.',
  }),
  maxTokens: field.integer({ minimum: 1, default: 256, description: 'Longest answer, in tokens.' }),
  temperature: field.number({ minimum: 0, default: 0, description: 'Sampling temperature.' }),
})

/** The node's \`with:\` after defaults are applied. */
export type NodeConfig = ConfigOf<typeof configSchema>
`

export const INDEX_TS = `import { DataflowError, defineNode, renderTemplate, toAnswerUsage, answerUsageProperties } from '@dataflow/sdk'
import { configSchema, type NodeConfig } from './config-schema.js'

/** What the node writes; \`when\` expressions and sinks read it as \`<node id>.answer\`. */
export interface NodeResult {
  answer: string
  [field: string]: unknown
}

export default defineNode<NodeConfig, NodeResult>({
  specVersion: 1,
  name: '{{packageName}}',
  version: '0.1.0',
  description: 'Asks a model about a text field of each item and writes its answer.',
  config: configSchema,
  writes: {
    type: 'object',
    properties: { answer: { type: 'string', description: 'The model answer.' }, ...answerUsageProperties },
    required: ['answer'],
    additionalProperties: false,
  },
  create(config) {
    return {
      identity: { prompt: config.prompt },
      async process(input, item) {
        const text = input.get(config.text)
        if (typeof text !== 'string' || text.trim() === '') {
          throw new DataflowError('DATAFLOW_INPUT_INVALID', \`no text at \${config.text}\`, {
            hint: 'set \`text:\` to the path of a string field written by the source or an upstream node',
          })
        }
        const result = await item.inference.chat(
          {
            model: config.model,
            messages: [{ role: 'user', content: renderTemplate(config.prompt, { text }) }],
            maxTokens: config.maxTokens,
            temperature: config.temperature,
          },
          { signal: item.signal },
        )
        const answer = result.text.trim()
        if (answer === '') throw new DataflowError('DATAFLOW_OUTPUT_INVALID', 'empty answer', { details: { raw: result.text } })
        return { answer, ...toAnswerUsage(result) }
      },
    }
  },
})
`

export const INDEX_TEST_TS = `import { createFakeInference, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import node from './index.js'

describe('{{packageName}}', () => {
  it('sends the prompt with the text and writes the answer', async () => {
    const inference = createFakeInference(() => ' A short summary. ')
    const [outcome] = await runNode(node, { inference, items: [{ item: { text: 'A long text about cats.' } }] })
    expect(outcome).toMatchObject({ id: '0', status: 'done', output: { answer: 'A short summary.' } })
    expect(inference.requests[0]).toMatchObject({
      model: 'llm',
      messages: [{ role: 'user', content: 'Summarize the following text in one sentence.\\n\\nA long text about cats.' }],
    })
  })

  it('is an error record for an item without the text', async () => {
    const [outcome] = await runNode(node, { items: [{ item: {} }] })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })

  it('refuses unknown settings, as the engine does', async () => {
    await expect(runNode(node, { config: { modle: 'vlm' }, items: [] })).rejects.toThrow(/modle/)
  })
})
`

export const README_TEST_TS = `import { readReadmeConfigTable } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import node from './index.js'

describe('README', () => {
  it('has the config table generated from the config schema (DATAFLOW_UPDATE_README=1 rewrites it)', () => {
    const { actual, expected } = readReadmeConfigTable(new URL('../README.md', import.meta.url), node.config)
    expect(actual).toBe(expected)
  })
})
`

export const README_MD = `# {{packageName}}

A dataflow node: asks a model about a text field of each item and writes its answer.

\`\`\`yaml
nodes:
  {{nodeId}}:
    uses: {{usesExample}}
    with: { model: llm, text: item.text }
\`\`\`

## Writes
- \`answer\` (string): the model answer, plus token usage fields.

## Config (\`with:\`)
<!-- config:start -->
<!-- config:end -->

## Develop
\`npm run build\` compiles to \`dist/\`; \`npm test\` runs the tests (the SDK harness validates the
config exactly as the engine does). The config table above is generated from
\`src/config-schema.ts\`: \`DATAFLOW_UPDATE_README=1 npm test\` rewrites it.
`

export const TSCONFIG_JSON = `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "declaration": true,
    "sourceMap": true,
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"],
  "exclude": ["src/**/*.test.ts"]
}
`
