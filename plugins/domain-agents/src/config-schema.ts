import { field, modelField, pathField, type ConfigOf } from '@dataflow/sdk'
import { ROLES } from './roles.js'

/** Placeholders the node fills itself; `vars` may not redefine them. */
export const RESERVED_VARS = ['role', 'domain', 'modality', 'frames', 'duration'] as const

/** JSON Schema of the agent's `with:`; {@link AgentConfig} is inferred from it. */
export const agentConfigSchema = field.object(
  {
    role: field.enum(ROLES, {
      description: `Built-in role: ${ROLES.join(', ')}. Optional when \`prompt\` is given (the output then names the node id).`,
    }),
    prompt: field.string({
      minLength: 1,
      description:
        'Prompt override: inline text, or a one-line .md/.txt path relative to the pipeline file. Default `prompts/<role>.md`.',
    }),
    system: field.string({
      minLength: 1,
      description:
        'Optional system message (inline or .md/.txt file). It comes before the image: give all agents the same one or none, or the prefix cache is not shared.',
    }),
    model: modelField('Vision model that answers.', 'vlm'),
    media: pathField('Path of the PreparedMedia written by the media node.', 'media'),
    domainField: pathField('Path read for the {{domain}} placeholder.', 'route.domain'),
    maxTokens: field.integer({
      minimum: 16,
      description: 'Answer budget. Default 4096 for ocr and coder, 2048 otherwise.',
    }),
    temperature: field.number({ minimum: 0, description: 'Sampling temperature; unset means the model default.' }),
    vars: field.record(field.anyOf([field.string(), field.number()]), {
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$', not: { enum: RESERVED_VARS } },
      default: {},
      description: `Values for {{name}} placeholders; built in: ${RESERVED_VARS.join(', ')}.`,
    }),
  },
  { anyOf: [{ required: ['role'] }, { required: ['prompt'] }] },
)

/** The agent's `with:` after defaults are applied. */
export type AgentConfig = ConfigOf<typeof agentConfigSchema>
