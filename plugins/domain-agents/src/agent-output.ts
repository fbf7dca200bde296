import type { JsonSchema } from '@dataflow/sdk'

/** What an agent writes. */
export interface AgentOutput extends Record<string, unknown> {
  /** The built-in role, or the node id for a custom prompt. */
  role: string
  /** The model's answer, trimmed. */
  text: string
  tokens: { prompt: number; completion: number }
  /** Present when the answer hit `maxTokens`. */
  truncated?: true
}

export const agentOutputSchema: JsonSchema = {
  type: 'object',
  properties: {
    role: { type: 'string' },
    text: { type: 'string' },
    tokens: { type: 'object', properties: { prompt: { type: 'integer' }, completion: { type: 'integer' } }, required: ['prompt', 'completion'] },
    truncated: { type: 'boolean', const: true },
  },
  required: ['role', 'text', 'tokens'],
}
