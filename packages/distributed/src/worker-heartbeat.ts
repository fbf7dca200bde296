import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import { KEYS } from './redis-keys.js'

/** What a worker says about itself every few seconds (`dataflow status`). */
export interface WorkerBeat {
  name: string
  host: string
  pid: number
  /** Chunks in hand. */
  chunks: number[]
  /** Items this worker finished since it started. */
  items: number
  /** Over the last beat interval. */
  itemsPerSecond: number
  /** Epoch ms of the beat. */
  beatAt: number
}

export const BEAT_MS = 2000

/** Writes the worker's beat to Redis every {@link BEAT_MS}; `track` counts a chunk's finished items. */
export function startHeartbeat(redis: Redis, name: string) {
  const active = new Map<number, { base: number; done: number }>()
  let finished = 0
  let lastItems = 0
  let lastAt = Date.now()
  const items = () => finished + [...active.values()].reduce((sum, chunk) => sum + chunk.done - chunk.base, 0)
  const beat = async () => {
    const now = Date.now()
    const total = items()
    const record: WorkerBeat = {
      name,
      host: hostname(),
      pid: process.pid,
      chunks: [...active.keys()],
      items: total,
      itemsPerSecond: Math.round(((total - lastItems) / Math.max(1, now - lastAt)) * 1000 * 10) / 10,
      beatAt: now,
    }
    lastItems = total
    lastAt = now
    await redis.hset(KEYS.workers, name, JSON.stringify(record)).catch(() => undefined)
  }
  const timer = setInterval(() => void beat(), BEAT_MS)
  void beat()
  return {
    track(index: number) {
      const entry = { base: -1, done: 0 }
      active.set(index, entry)
      return {
        update(done: number) {
          // The first value is what an earlier session of the chunk had already finished.
          if (entry.base < 0) entry.base = done
          entry.done = done
        },
        end() {
          finished += Math.max(0, entry.done - Math.max(0, entry.base))
          active.delete(index)
        },
      }
    },
    async stop() {
      clearInterval(timer)
      await beat()
    },
  }
}
