import { readFile } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/**
 * Items in the shards according to img2dataset's `<shard>_stats.json` files (their `successes`),
 * or undefined when a shard has none: then the count is unknown until the shards are read.
 */
export async function countShardItems(shards: readonly string[]): Promise<number | undefined> {
  let total = 0
  for (const shard of shards) {
    const stats = join(dirname(shard), `${basename(shard, extname(shard))}_stats.json`)
    let successes: unknown
    try {
      successes = (JSON.parse(await readFile(stats, 'utf8')) as { successes?: unknown }).successes
    } catch {
      return undefined
    }
    if (typeof successes !== 'number' || !Number.isInteger(successes) || successes < 0) return undefined
    total += successes
  }
  return total
}
