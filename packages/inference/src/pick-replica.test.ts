import { describe, expect, it } from 'vitest'
import { pickReplica, type ReplicaView } from './pick-replica.js'

const replica = (outstanding: number, healthy = true, reopensAt = 0): ReplicaView => ({ outstanding, canSend: () => healthy, reopensAt })

describe('pickReplica', () => {
  it('picks the healthy replica with the fewest outstanding requests', () => {
    expect(pickReplica([replica(5), replica(2), replica(7)])).toBe(1)
    expect(pickReplica([replica(5), replica(0, false), replica(3)])).toBe(2)
  })

  it('spreads ties by the rotating start', () => {
    const replicas = [replica(1), replica(1), replica(1)]
    expect([0, 1, 2].map((start) => pickReplica(replicas, start))).toEqual([0, 1, 2])
  })

  it('when every replica is out, uses the one whose cool-down ends first', () => {
    expect(pickReplica([replica(0, false, 900), replica(0, false, 300), replica(0, false, 500)])).toBe(1)
  })
})
