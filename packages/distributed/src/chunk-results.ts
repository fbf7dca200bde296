import type { Redis } from 'ioredis'
import type { ChunkResult } from './chunk-spec.js'
import { KEYS } from './redis-keys.js'

/** Finished chunks of a run by index, as their workers recorded them. */
export async function readChunkResults(redis: Redis, runId: string): Promise<Map<number, ChunkResult>> {
  const raw = await redis.hgetall(KEYS.done(runId))
  return new Map(Object.entries(raw).map(([index, json]) => [Number(index), JSON.parse(json) as ChunkResult]))
}

/** Records a finished chunk; idempotent (a chunk finished twice keeps one entry). */
export async function recordChunkResult(
  redis: Redis,
  runId: string,
  index: number,
  result: ChunkResult,
): Promise<void> {
  await redis.hset(KEYS.done(runId), String(index), JSON.stringify(result))
}
