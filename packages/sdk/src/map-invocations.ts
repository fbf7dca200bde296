import { map } from 'rxjs'
import type { Invocation, InvocationOutcome, NodeOperator } from './node-definition.js'
import type { NodeResult } from './result.js'

/**
 * A cross-item operator that decides each invocation as it arrives (in arrival order, one at a
 * time) with state shared across items: dedup, sampling, counting. Emits exactly one outcome per
 * invocation; a throw becomes that item's error, and the stream goes on.
 */
export function mapInvocations(decide: (invocation: Invocation) => NodeResult): NodeOperator {
  return (invocations$) =>
    invocations$.pipe(
      map((invocation): InvocationOutcome => {
        try {
          return { id: invocation.input.id, result: decide(invocation) }
        } catch (error) {
          return { id: invocation.input.id, error }
        }
      }),
    )
}
