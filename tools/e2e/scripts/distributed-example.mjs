#!/usr/bin/env node
// The 3-worker example on one machine: an inference simulator (a test double, not a model), three
// `dataflow worker` processes and the coordinator (`dataflow run --queue`) over the demo pipeline.
// Needs a Redis on the URL given (default redis://127.0.0.1:6379) and a built repo (npm run build).
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '@dataflow/inference-sim'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const bin = join(repo, 'packages/cli/dist/bin.js')
const queue = process.argv[2] ?? 'redis://127.0.0.1:6379'
const pipeline = join(repo, 'tools/e2e/test/fixtures/three-nodes.yaml')
const work = mkdtempSync(join(tmpdir(), 'dataflow-distributed-example-'))
const items = join(work, 'items.jsonl')
writeFileSync(
  items,
  Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ id: `item-${i}`, text: i % 2 ? `short ${i}` : `item ${i} has a few more words` }),
  ).join('\n') + '\n',
)
const sim = await startSimulator({ port: 0, maxSeqs: 32, timeScale: 0.05 })
console.error(`inference simulator (test double) on ${sim.url}; run directory ${join(work, 'run')}`)
const env = { ...process.env, LLM_BASE_URL: sim.url }
const workers = [0, 1, 2].map((i) =>
  spawn(process.execPath, [bin, 'worker', '--queue', queue, '--name', `worker-${i}`, '--log-level', 'warn'], {
    env,
    stdio: 'inherit',
  }),
)
const run = spawn(
  process.execPath,
  [
    bin,
    'run',
    pipeline,
    '--queue',
    queue,
    '--out',
    join(work, 'run'),
    '--chunk-size',
    '250',
    '--set',
    `source.with.path=${items}`,
  ],
  { env, stdio: 'inherit' },
)
const code = await new Promise((done) => run.on('close', done))
for (const worker of workers) worker.kill('SIGTERM')
await Promise.all(workers.map((worker) => new Promise((done) => worker.on('close', done))))
await sim.close()
process.exit(code ?? 1)
