#!/usr/bin/env node
// The README's first command: runs pipelines/capflow.yaml on the bundled sample data against two
// local inference simulators (a VLM server and a text LLM server). The simulator is a TEST DOUBLE:
// its answers are placeholders that say "[simulated]", not captions. Point VLM_BASE_URL and
// LLM_BASE_URL at real vLLM / lmdeploy / SGLang servers to caption for real.
// The request cache is off: simulated answers must never land in the cache real runs read.
// DEMO_OUT sets the run directory (default runs/demo-<time>); DEMO_TIME_SCALE the simulators' speed.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator } from '@dataflow/inference-sim'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const pipeline = process.argv[2] ?? 'pipelines/capflow.yaml'
const out =
  process.env.DEMO_OUT ??
  join('runs', `demo-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`)
const timeScale = Number(process.env.DEMO_TIME_SCALE ?? 0.25)

const vlm = await startSimulator({ port: 0, maxSeqs: 64, timeScale })
const llm = await startSimulator({ port: 0, maxSeqs: 64, timeScale })
console.log(`inference simulators (test doubles, simulated answers): VLM ${vlm.url}  LLM ${llm.url}`)
console.log(`$ dataflow run ${pipeline} --out ${out}\n`)

const code = await new Promise((resolveExit) => {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/cli/dist/bin.js'),
      'run',
      pipeline,
      '--out',
      out,
      '--cache',
      'off',
      '--metrics-port',
      process.env.DEMO_METRICS_PORT ?? '127.0.0.1:0',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, VLM_BASE_URL: vlm.url, LLM_BASE_URL: llm.url, CAPTIONER_BASE_URL: vlm.url },
      // Its own process group: a terminal's Ctrl-C reaches this process only, which passes each
      // signal on exactly once (the first drains the run, a second interrupts it). In the
      // terminal's group the run got the Ctrl-C twice, from the terminal and from here, and
      // took the first one for a second: items in flight were interrupted.
      detached: true,
    },
  )
  const forward = (signal) => child.kill(signal)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward)
  // Never leave the run behind if the demo itself ends first.
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  })
  child.on('exit', (exitCode, signal) => resolveExit(exitCode ?? (signal ? 1 : 0)))
})
await Promise.all([vlm.close(), llm.close()])

try {
  const first = (await readFile(resolve(root, out, 'captions.jsonl'), 'utf8')).split('\n').find(Boolean)
  if (first) {
    const record = JSON.parse(first)
    console.log(`\nfirst kept record (${relative(root, resolve(root, out, 'captions.jsonl'))}):`)
    console.log(`  id ${record.id}  domain ${record.domain}  agents ${Object.keys(record.agents ?? {}).join(', ')}`)
    console.log(`  caption: ${String(record.caption).slice(0, 160)}...`)
  }
} catch {
  // no captions file: the summary above says why
}
console.log('\nThese answers come from the simulator: they are not captions. See README "Real servers".')
if (existsSync(resolve(root, out, 'report.html'))) console.log(`\nreport: ${join(out, 'report.html')}`)
process.exitCode = code
