import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'
import { DEFAULT_DOMAINS, type DomainSpec } from './default-domains.js'

/** The router's `with:` after defaults are applied. */
export interface RouterConfig {
  /** Vision model that classifies the image. Default `vlm`. */
  model: string
  /** Path of the PreparedMedia. Default `media`. */
  media: string
  /** Domains the model may choose. Default: the eight image domains of CapFlow. */
  domains: DomainSpec[]
  /** Extra spellings, `label: key`, added to the built-in alias table. Default `{}`. */
  aliases: Record<string, string>
  /** Path of the item's task; when set, the router uses it and makes no model call. Default `item.task`. */
  taskField: string
  /** Path of the modality; `video` items get the `video` domain without a model call. Default `media.modality`. */
  modalityField: string
  /** Domain used when the answer is unknown, unparseable or below `minConfidence`. Default `natural`. */
  fallback: string
  /** Answers with a lower confidence use the fallback. Default 1 (every answer counts). */
  minConfidence: number
  /** Prompt override: inline text, or a .md/.txt file relative to the pipeline file. */
  prompt?: string
  /** Default 256. */
  maxTokens: number
  /** Default 0 (deterministic classification). */
  temperature: number
}

const domainSchema: JsonSchema = {
  type: 'object',
  properties: {
    key: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description: 'Key written to `domain` and used in `when` expressions.',
    },
    name: { type: 'string', minLength: 1, description: 'Display name shown to the model.' },
    description: { type: 'string', minLength: 1, description: 'What belongs to the domain.' },
    rules: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Boundary rules against neighbouring domains.',
    },
  },
  required: ['key', 'name', 'description'],
  additionalProperties: false,
}

/** JSON Schema of the router's `with:`. */
export const routerConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    model: modelField('Vision model that classifies the image.', 'vlm'),
    media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
    domains: {
      type: 'array',
      items: domainSchema,
      minItems: 1,
      default: DEFAULT_DOMAINS,
      description:
        'Domains the model may choose, with their boundary rules. Default: the eight image domains of CapFlow (natural, chart-math, document, medical, ui, code, knowledge, synthetic).',
    },
    aliases: {
      type: 'object',
      additionalProperties: { type: 'string' },
      default: {},
      description:
        'Extra spellings (`label: key`) on top of the built-in alias table; matching ignores case and punctuation.',
    },
    taskField: pathField('Path of the item task; a task skips the model call.', 'item.task'),
    modalityField: pathField(
      'Path of the modality; video items get the `video` domain without a model call.',
      'media.modality',
    ),
    fallback: {
      type: 'string',
      default: 'natural',
      description: 'Domain for unknown, unparseable or low-confidence answers.',
    },
    minConfidence: {
      type: 'integer',
      minimum: 1,
      maximum: 3,
      default: 1,
      description: 'Answers with a lower confidence (1-3) use the fallback.',
    },
    prompt: {
      type: 'string',
      minLength: 1,
      description:
        'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file. Placeholders: {{domains}}, {{keys}}.',
    },
    maxTokens: { type: 'integer', minimum: 16, default: 256, description: 'Answer length limit.' },
    temperature: { type: 'number', minimum: 0, default: 0, description: 'Sampling temperature.' },
  },
  additionalProperties: false,
}
