import { describe, expect, it } from 'vitest'
import { createPriorityQueue } from './priority-queue.js'

interface Job {
  priority: number
  sequence: number
  name: string
}
const before = (a: Job, b: Job) => (a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence)

describe('createPriorityQueue', () => {
  it('pops deeper nodes first, then older items, then in insertion order', () => {
    const queue = createPriorityQueue<Job>(before)
    queue.push({ priority: 0, sequence: 1, name: 'source-1' })
    queue.push({ priority: 2, sequence: 9, name: 'judge-9' })
    queue.push({ priority: 2, sequence: 3, name: 'judge-3' })
    queue.push({ priority: 1, sequence: 2, name: 'agent-2a' })
    queue.push({ priority: 1, sequence: 2, name: 'agent-2b' })
    const order: string[] = []
    for (let job = queue.pop(); job; job = queue.pop()) order.push(job.name)
    expect(order).toEqual(['judge-3', 'judge-9', 'agent-2a', 'agent-2b', 'source-1'])
  })

  it('removes an entry from the middle and keeps the order of the rest', () => {
    const queue = createPriorityQueue<number>((a, b) => a < b)
    const entries = [5, 3, 8, 1, 9, 2, 7].map((value) => queue.push(value))
    expect(queue.remove(entries[1]!)).toBe(true)
    expect(queue.remove(entries[1]!)).toBe(false)
    expect(queue.size).toBe(6)
    const popped: number[] = []
    for (let value = queue.pop(); value !== undefined; value = queue.pop()) popped.push(value)
    expect(popped).toEqual([1, 2, 5, 7, 8, 9])
  })

  it('stays ordered under random pushes, pops and removals', () => {
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const queue = createPriorityQueue<number>((a, b) => a < b)
    const live = new Map<number, ReturnType<typeof queue.push>>()
    let id = 0
    for (let step = 0; step < 2000; step++) {
      const roll = random()
      if (roll < 0.5) live.set(id++, queue.push(Math.floor(random() * 100)))
      else if (roll < 0.7 && live.size > 0) {
        const [key, entry] = [...live][Math.floor(random() * live.size)]!
        expect(queue.remove(entry)).toBe(true)
        live.delete(key)
      } else if (queue.size > 0) {
        const smallest = Math.min(...[...live.values()].map((entry) => entry.value))
        const value = queue.pop()!
        expect(value).toBe(smallest)
        const key = [...live].find(([, entry]) => entry.value === value && !queue.remove(entry))![0]
        live.delete(key)
      }
      expect(queue.size).toBe(live.size)
    }
  })
})
