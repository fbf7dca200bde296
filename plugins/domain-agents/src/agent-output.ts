import { answerUsageProperties, type AnswerUsage, type JsonSchema } from '@dataflow/sdk'

/** What an agent writes. */
export interface AgentOutput extends Record<string, unknown>, AnswerUsage {
  /** The built-in role, or the node id for a custom prompt. */
  role: string
  /** The model's answer, trimmed. */
  text: string
}

export const agentOutputSchema: JsonSchema = {
  type: 'object',
  properties: {
    role: { type: 'string' },
    text: { type: 'string' },
    ...answerUsageProperties,
  },
  required: ['role', 'text', 'tokens'],
}
