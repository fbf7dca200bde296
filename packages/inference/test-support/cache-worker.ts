/**
 * A child process for the concurrency test: opens the shared cache file, writes `count` answers
 * under its own keys plus the shared keys `shared-0..`, reads every key it knows between writes,
 * then prints its stats as JSON. Run with `node --import tsx cache-worker.ts <path> <name> <count>`.
 */
import { createSqliteRequestCache } from '../src/sqlite-request-cache.js'

const [path, name, countText] = process.argv.slice(2)
const count = Number(countText)
const cache = createSqliteRequestCache({ path: path!, busyTimeoutMs: 30_000 })
const answer = (text: string) => ({
  text,
  finishReason: 'stop',
  usage: { promptTokens: 10, completionTokens: 2 },
  servedModel: 'm',
})
for (let index = 0; index < count; index++) {
  // Several writes per event-loop turn (one transaction), then a turn boundary.
  await Promise.all([
    cache.set(`${name}-${index}`, answer(`${name} ${index}`)),
    cache.set(`shared-${index}`, answer(`shared ${index}`)),
  ])
  const own = await cache.get(`${name}-${index}`)
  if (own?.text !== `${name} ${index}`) throw new Error(`${name}: read back ${JSON.stringify(own)} for ${index}`)
  await cache.get(`shared-${(index * 7) % count}`)
}
cache.close()
process.stdout.write(JSON.stringify(cache.stats()))
