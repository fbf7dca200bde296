import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runNode, type TestItem } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import sample from './index.js'

const items = (count: number, group = (index: number) => `g${index % 3}`): TestItem[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `i${index}`,
    item: { group: group(index), user: `u${index % 10}` },
  }))

const kept = (outcomes: Awaited<ReturnType<typeof runNode>>) =>
  outcomes.flatMap((outcome) => (outcome.status === 'done' ? [outcome.id] : []))

describe('sample node', () => {
  it('keeps about the fraction asked, the same items whatever their order', async () => {
    const all = items(2000)
    const forward = kept(await runNode(sample, { config: { fraction: 0.1 }, items: all }))
    expect(forward.length).toBeGreaterThan(150)
    expect(forward.length).toBeLessThan(250)
    const backward = kept(await runNode(sample, { config: { fraction: 0.1 }, items: [...all].reverse() }))
    expect([...backward].sort()).toEqual([...forward].sort())
    const reseeded = kept(await runNode(sample, { config: { fraction: 0.1, seed: 7 }, items: all }))
    expect(reseeded).not.toEqual(forward)
  })

  it('samples whole groups of a value with `by`, and says why an item was left out', async () => {
    const outcomes = await runNode(sample, { config: { fraction: 0.5, by: 'item.user' }, items: items(100) })
    const users = new Map<string, Set<string>>()
    outcomes.forEach((outcome, index) => {
      const user = `u${index % 10}`
      users.set(user, (users.get(user) ?? new Set()).add(outcome.status))
    })
    for (const statuses of users.values()) expect(statuses.size).toBe(1)
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: 'not in the sample: fraction 0.5 (seed 0)',
      details: { fraction: 0.5, seed: 0, by: 'item.user' },
    })
  })

  it('caps each group at perGroup, first come first kept', async () => {
    const outcomes = await runNode(sample, { config: { group: 'item.group', perGroup: 2 }, items: items(9) })
    expect(kept(outcomes)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5'])
    expect(outcomes[6]).toMatchObject({
      status: 'rejected',
      reason: 'group item.group = "g0" already has 2 items (perGroup 2)',
    })
  })

  it('applies the fraction first, then the cap', async () => {
    const outcomes = await runNode(sample, {
      config: { fraction: 0.5, group: 'item.group', perGroup: 5 },
      items: items(300),
    })
    const byGroup = new Map<string, number>()
    for (const id of kept(outcomes)) {
      const group = `g${Number(id.slice(1)) % 3}`
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1)
    }
    expect([...byGroup.values()]).toEqual([5, 5, 5])
  })

  it('keeps the same items after a restart: admitted items pass again, the cap counts them once', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'sample-state-'))
    const config = { group: 'item.group', perGroup: 2 }
    const first = await runNode(sample, { stateDir, config, items: items(3) })
    expect(kept(first)).toEqual(['i0', 'i1', 'i2'])
    const resumed = await runNode(sample, {
      stateDir,
      config,
      items: [{ id: 'i1', item: { group: 'g1' } }, ...items(9).slice(3)],
    })
    expect(kept(resumed)).toEqual(['i1', 'i3', 'i4', 'i5'])
  })

  it('needs a fraction or a cap, and a group with a cap', async () => {
    await expect(runNode(sample, { config: {}, items: [] })).rejects.toThrow(/invalid config/)
    await expect(runNode(sample, { config: { perGroup: 3 }, items: [] })).rejects.toThrow(/invalid config/)
    const [outcome] = await runNode(sample, { config: { group: 'item.lang', perGroup: 1 }, items: items(1) })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })
})
