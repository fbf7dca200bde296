import { describe, expect, it } from 'vitest'
import { candidateReplicas, type ReplicaView } from './candidate-replicas.js'

const replica = (healthy: boolean, reopensAt = 0): ReplicaView => ({ canSend: () => healthy, reopensAt })

describe('candidateReplicas', () => {
  it('keeps the replicas whose breaker lets requests through', () => {
    expect(candidateReplicas([replica(true), replica(false, 10), replica(true)])).toEqual([0, 2])
  })

  it('when every replica is out, uses the one whose cool-down ends first', () => {
    expect(candidateReplicas([replica(false, 900), replica(false, 300), replica(false, 500)])).toEqual([1])
  })
})
