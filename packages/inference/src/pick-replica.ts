/** What replica selection needs to know about one replica. */
export interface ReplicaView {
  /** Requests in flight plus queued at this replica. */
  readonly outstanding: number
  canSend(): boolean
  /** When its breaker lets a trial through (meaningful while it cannot send). */
  readonly reopensAt: number
}

/**
 * The index of the replica to use: among those whose breaker lets requests through, the one
 * with the fewest outstanding requests (ties go to the first at or after `start`, which callers
 * rotate). When every replica is out, the one whose cool-down ends first: with no alternative,
 * requests still go out (and fail fast) rather than wait, so failures reach the caller and the
 * run-level error guard.
 */
export function pickReplica(replicas: readonly ReplicaView[], start = 0): number {
  const count = replicas.length
  let best = -1
  for (let step = 0; step < count; step++) {
    const index = (start + step) % count
    const replica = replicas[index]!
    if (!replica.canSend()) continue
    if (best < 0 || replica.outstanding < replicas[best]!.outstanding) best = index
  }
  if (best >= 0) return best
  best = 0
  for (let index = 1; index < count; index++) {
    if (replicas[index]!.reopensAt < replicas[best]!.reopensAt) best = index
  }
  return best
}
