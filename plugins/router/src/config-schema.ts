import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'
import { DEFAULT_DOMAINS } from './default-domains.js'

/** One domain the router may choose; its boundary rules are shown to the model. */
export const domainSchema = field.object(
  {
    key: field.string({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description: 'Key written to `domain` and used in `when` expressions (kebab-case).',
    }),
    name: field.string({ minLength: 1, description: 'Display name shown to the model.' }),
    description: field.string({ minLength: 1, description: 'What belongs to the domain.' }),
    rules: field.array(field.string({ minLength: 1 }), {
      description: 'Boundary rules: how to decide between this domain and its neighbours.',
    }),
  },
  { required: ['key', 'name', 'description'] },
)

/** A domain the router can choose. */
export type DomainSpec = ConfigOf<typeof domainSchema>

/** JSON Schema of the router's `with:`; {@link RouterConfig} is inferred from it. */
export const routerConfigSchema = field.object({
  model: modelField('Vision model that classifies the image.', 'vlm'),
  media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
  domains: field.array(domainSchema, {
    minItems: 1,
    default: DEFAULT_DOMAINS,
    description:
      'Domains the model may choose, with their boundary rules; edit, drop or add. Default: the eight image domains of CapFlow (natural, chart-math, document, medical, ui, code, knowledge, synthetic).',
  }),
  aliases: field.record(field.string(), {
    default: {},
    description:
      'Extra spellings (`label: key`) on top of the built-in alias table; matching ignores case and punctuation.',
  }),
  taskField: pathField('Path of the item task; when present it decides and the model is not called.', 'item.task'),
  modalityField: pathField(
    'Path of the modality; video items get the `video` domain without a model call.',
    'media.modality',
  ),
  fallback: field.string({
    default: 'natural',
    description: 'Domain key for unknown, unparseable or low-confidence answers; must be one of the domains.',
  }),
  minConfidence: field.integer({
    minimum: 1,
    maximum: 3,
    default: 1,
    description:
      'Answers with a lower confidence (1-3) use the fallback; an answer without a confidence counts as below when this is above 1.',
  }),
  prompt: field.string({
    minLength: 1,
    description:
      'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file. Placeholders: {{domains}} (the list with boundary rules), {{keys}}. Default `prompts/router.md`.',
  }),
  maxTokens: field.integer({ minimum: 16, default: 256, description: 'Answer length limit.' }),
  temperature: field.number({ minimum: 0, default: 0, description: 'Sampling temperature.' }),
})

/** The router's `with:` after defaults are applied. */
export type RouterConfig = ConfigOf<typeof routerConfigSchema>
