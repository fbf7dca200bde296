import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../run-cli.js'
import { REPO, readJsonl, tempDir } from '../support.js'
import { byId, readDistributedOutputs, startWorkers } from './distributed-support.js'
import { hasRedis, startRedis, type TestRedis } from './redis-server.js'

const SHARDS = join(REPO, 'data/fixtures/shards/good')
const WORD_COUNT = join(REPO, 'pipelines/examples/nodes/word-count.js')
const SOURCES = {
  webdataset: `{ uses: "@dataflow/plugin-source-webdataset", with: { shards: "${SHARDS}/*.tar" } }`,
  parquet: `{ uses: "@dataflow/plugin-source-parquet", with: { files: "${SHARDS}/*.parquet", imagePath: key } }`,
}

describe.skipIf(!hasRedis)('distributed runs: one chunk per WebDataset or Parquet shard file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let redis: TestRedis
  beforeAll(async () => {
    dir = await tempDir('dataflow-distributed-shards-')
    await mkdir(join(dir.path, 'redis'))
    redis = await startRedis(join(dir.path, 'redis'))
  })
  afterAll(async () => {
    await redis?.stop()
    await dir?.remove()
  })

  it.each(Object.entries(SOURCES))(
    '%s: 2 shard files are 2 chunks whatever --chunk-size; the outputs equal a one-machine run',
    async (name, source) => {
      const pipeline = join(dir.path, `${name}.yaml`)
      await writeFile(
        pipeline,
        [
          'version: 1',
          `name: shards-${name}`,
          `source: ${source}`,
          'nodes:',
          `  count: { uses: ${WORD_COUNT}, with: { text: item.key } }`,
          'sinks:',
          '  out: { uses: "@dataflow/plugin-sink-jsonl", with: { path: out.jsonl }, select: { id: id, words: count.words } }',
        ].join('\n'),
      )
      const local = join(dir.path, `${name}-local`)
      const one = await runCli(['run', pipeline, '--out', local, '--quiet'])
      expect(one.code, one.stderr).toBe(0)
      const expected = (await readJsonl(join(local, 'out.jsonl'))).sort(byId)
      expect(expected).toHaveLength(6)

      const pool = startWorkers(redis.url, 2, {})
      const out = join(dir.path, `${name}-distributed`)
      // --chunk-size 1 would make 6 chunks of records; shard files make the chunks instead.
      const run = await runCli(['run', pipeline, '--queue', redis.url, '--out', out, '--chunk-size', '1', '--quiet'])
      const workers = await pool.stopAll()
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(run.stdout).toContain('2 chunks, 0 failed')
      const sizes = workers.flatMap((worker) =>
        [...worker.stderr.matchAll(/starting chunk \d+ \((\d+) items\)/g)].map((match) => Number(match[1])),
      )
      expect(sizes).toEqual([3, 3])
      expect((await readDistributedOutputs(out)).sort(byId)).toEqual(expected)
    },
    60_000,
  )
})
