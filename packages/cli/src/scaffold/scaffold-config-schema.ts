import { field, modelField, pathField } from '@dataflow/sdk'

/**
 * The config schema the scaffold writes to src/config-schema.ts (node-template.ts), built here
 * too so that the new package's README table is generated from it. The scaffold test builds the
 * new package and runs its README test, which fails if the two differ.
 */
export const scaffoldConfigSchema = field.object({
  model: modelField("Model that answers (a key of the pipeline's `models:`).", 'llm'),
  text: pathField('Path of the text to work on, e.g. `item.text` or `summary.caption`.', 'item.text'),
  prompt: field.string({
    minLength: 1,
    default: 'Summarize the following text in one sentence.\n\n{{text}}',
    description: 'Prompt sent to the model; {{text}} is replaced by the text.',
  }),
  maxTokens: field.integer({ minimum: 1, default: 256, description: 'Longest answer, in tokens.' }),
  temperature: field.number({ minimum: 0, default: 0, description: 'Sampling temperature.' }),
})
