import type { JsonSchema } from '@dataflow/sdk'

/** How the domain was decided. */
export type DecidedBy = 'task' | 'modality' | 'model' | 'fallback'

/** What the router writes. */
export interface RouteOutput extends Record<string, unknown> {
  domain: string
  confidence?: number
  decidedBy: DecidedBy
  /** The model's answer as received (model and fallback decisions). */
  raw?: string
  /** The model's one-sentence justification. */
  reason?: string
  /** True when the answer could not be used and the fallback domain was taken. */
  fallback?: true
  /** Why the answer could not be used. */
  fallbackReason?: string
}

/** JSON Schema of the router output for the configured domain keys. */
export function toRouteOutputSchema(keys: readonly string[]): JsonSchema {
  return {
    type: 'object',
    properties: {
      domain: { type: 'string', enum: keys },
      confidence: { type: 'integer', minimum: 1, maximum: 3 },
      decidedBy: { type: 'string', enum: ['task', 'modality', 'model', 'fallback'] },
      raw: { type: 'string' },
      reason: { type: 'string' },
      fallback: { type: 'boolean', const: true },
      fallbackReason: { type: 'string' },
    },
    required: ['domain', 'decidedBy'],
  }
}
