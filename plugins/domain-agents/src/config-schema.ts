import { modelField, pathField, type JsonSchema } from '@dataflow/sdk'
import { ROLES, type Role } from './roles.js'

/** The agent's `with:` after defaults are applied. */
export interface AgentConfig {
  /** A built-in role; optional when `prompt` is given (the output then names the node id). */
  role?: Role
  /** Prompt override: inline text or a .md/.txt file relative to the pipeline file. */
  prompt?: string
  /** Optional system message (inline or file); it comes before the image, so keep it equal across agents to share the prefix cache. */
  system?: string
  /** Vision model. Default `vlm`. */
  model: string
  /** Path of the PreparedMedia. Default `media`. */
  media: string
  /** Path read for the `{{domain}}` placeholder. Default `route.domain`. */
  domainField: string
  /** Answer budget. Default 4096 for ocr and coder, 2048 otherwise. */
  maxTokens?: number
  /** Sampling temperature; unset means the model's default. */
  temperature?: number
  /** Values for `{{name}}` placeholders in the prompt. Default `{}`. */
  vars: Record<string, string | number>
}

/** Placeholders the node fills itself; `vars` may not redefine them. */
export const RESERVED_VARS = ['role', 'domain', 'modality', 'frames', 'duration'] as const

/** JSON Schema of the agent's `with:`. */
export const agentConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    role: {
      type: 'string',
      enum: ROLES,
      description: `Built-in role: ${ROLES.join(', ')}. Optional when \`prompt\` is given.`,
    },
    prompt: {
      type: 'string',
      minLength: 1,
      description: 'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file.',
    },
    system: { type: 'string', minLength: 1, description: 'Optional system message (inline or .md/.txt file).' },
    model: modelField('Vision model that answers.', 'vlm'),
    media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
    domainField: pathField('Path read for the {{domain}} placeholder.', 'route.domain'),
    maxTokens: {
      type: 'integer',
      minimum: 16,
      description: 'Answer budget. Default 4096 for ocr and coder, 2048 otherwise.',
    },
    temperature: { type: 'number', minimum: 0, description: 'Sampling temperature; unset means the model default.' },
    vars: {
      type: 'object',
      additionalProperties: { type: ['string', 'number'] },
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$', not: { enum: RESERVED_VARS } },
      default: {},
      description: `Values for {{name}} placeholders; built in: ${RESERVED_VARS.join(', ')}.`,
    },
  },
  anyOf: [{ required: ['role'] }, { required: ['prompt'] }],
  additionalProperties: false,
}
