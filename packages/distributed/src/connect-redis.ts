import { DataflowError, type Logger } from '@dataflow/sdk'
import { Redis } from 'ioredis'

/** Opens a connection to `redis://[user:pass@]host:port[/db]` as BullMQ needs it (commands wait while Redis is away). */
export function connectRedis(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) {
    throw new DataflowError('DATAFLOW_USAGE', `--queue wants a Redis URL, got "${url}"`, {
      hint: 'e.g. --queue redis://127.0.0.1:6379 (a database other than 0: redis://host:6379/1)',
    })
  }
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true })
}

/**
 * Connects and checks that Redis will not evict queue keys: with any `maxmemory-policy` other
 * than `noeviction`, a full Redis silently drops jobs and locks. Refuses such a Redis; warns when
 * the setting cannot be read (managed Redis with CONFIG disabled).
 */
export async function checkRedis(redis: Redis, url: string, logger: Pick<Logger, 'warn'>): Promise<void> {
  try {
    await redis.connect()
  } catch (error) {
    throw new DataflowError('DATAFLOW_QUEUE_INVALID', `cannot reach Redis at ${url}: ${(error as Error).message}`, {
      hint: 'start it (redis-server --appendonly yes --maxmemory-policy noeviction) or fix the --queue URL',
      cause: error,
    })
  }
  let policy: string | undefined
  try {
    const answer = await redis.config('GET', 'maxmemory-policy')
    policy = answer[1]
  } catch (error) {
    logger.warn(
      { err: error },
      `cannot read maxmemory-policy of ${url}: make sure it is noeviction, or Redis may drop queue keys when full`,
    )
    return
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new DataflowError(
      'DATAFLOW_QUEUE_INVALID',
      `Redis at ${url} has maxmemory-policy ${policy}: it may evict queue jobs and locks when memory runs short`,
      { hint: 'run `redis-cli config set maxmemory-policy noeviction` (and put it in redis.conf)' },
    )
  }
}
