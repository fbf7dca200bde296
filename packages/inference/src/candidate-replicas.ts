/** What replica selection needs to know about one replica. */
export interface ReplicaView {
  canSend(): boolean
  /** When its breaker lets a trial through (meaningful while it cannot send). */
  readonly reopensAt: number
}

/**
 * The replicas a request may go to: those whose breaker lets requests through. When every
 * replica is out, the one whose cool-down ends first: with no alternative, requests still go out
 * (and fail fast) rather than wait, so failures reach the caller and the run-level error guard.
 * Among the candidates, {@link acquireFirst} gives the request to the least loaded.
 */
export function candidateReplicas(replicas: readonly ReplicaView[]): number[] {
  const healthy: number[] = []
  replicas.forEach((replica, index) => {
    if (replica.canSend()) healthy.push(index)
  })
  if (healthy.length > 0) return healthy
  let first = 0
  for (let index = 1; index < replicas.length; index++) {
    if (replicas[index]!.reopensAt < replicas[first]!.reopensAt) first = index
  }
  return [first]
}
