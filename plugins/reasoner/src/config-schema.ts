import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the reasoner's `with:`; {@link ReasonerConfig} is inferred from it. */
export const reasonerConfigSchema = field.object({
  model: modelField('Text-only reasoning model that answers from the caption.', 'reasoner'),
  caption: pathField(
    'Path of the caption text (a node id and its field; `summary.caption` for CapFlow).',
    'caption.caption',
  ),
  question: pathField('Path of the benchmark question.', 'item.question'),
  options: pathField('Path of the options: { A: text, ... } or a list lettered A, B, ...', 'item.options'),
  answer: pathField('Path of the correct letter.', 'item.answer'),
  hint: pathField('Path of the optional hint shown before the question.', 'item.hint'),
  prompt: field.string({
    minLength: 1,
    description:
      'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file. Placeholders: {{caption}}, {{query}} (hint, question and "A. text" option lines, each ending with a line break), {{hint}}, {{question}}, {{options}}. Default `prompts/reasoner.md`.',
  }),
  maxTokens: field.integer({
    minimum: 16,
    default: 4096,
    description: 'Answer length limit; reasoning models think long.',
  }),
  temperature: field.number({ minimum: 0, default: 0.7, description: 'Sampling temperature (paper: 0.7).' }),
  topP: field.number({
    exclusiveMinimum: 0,
    maximum: 1,
    default: 0.95,
    description: 'Nucleus sampling (paper: 0.95).',
  }),
})

/** The reasoner's `with:` after defaults are applied. */
export type ReasonerConfig = ConfigOf<typeof reasonerConfigSchema>
