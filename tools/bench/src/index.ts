#!/usr/bin/env node
/**
 * `npm run bench -- [scenario...]`: runs benchmark scenarios (not tests) against inference
 * simulators in child processes, prints their tables and replaces their generated sections of
 * BENCHMARKS.md. See tools/bench/README.md.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseBenchArgs, USAGE } from './cli-args.js'
import type { Scenario } from './scenario.js'
import { dagScenario } from './scenarios/dag-scenario.js'
import { nodeScenario } from './scenarios/node-scenario.js'
import { capflowScenario } from './scenarios/capflow-scenario.js'
import { mediaScenario } from './scenarios/media-scenario.js'
import { scaleScenario } from './scenarios/scale-scenario.js'
import { capflowFaultsScenario } from './scenarios/capflow-faults-scenario.js'
import { nodeFaultsScenario } from './scenarios/node-faults-scenario.js'
import { shardsScenario } from './scenarios/shards-scenario.js'
import { distributedScenario } from './scenarios/distributed-scenario.js'
import { updateBenchmarksFile } from './support/benchmarks-file.js'
import { reportConsole, reportMarkdown } from './support/format.js'
import { describeMachine } from './support/machine.js'
import { REPO_ROOT } from './support/paths.js'

const SCENARIOS: readonly Scenario[] = [
  dagScenario,
  nodeScenario,
  capflowScenario,
  scaleScenario,
  mediaScenario,
  nodeFaultsScenario,
  capflowFaultsScenario,
  shardsScenario,
  distributedScenario,
]

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2))
  if (args.help) {
    console.log(
      `${USAGE}\n\nScenarios:\n${SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(15)} ${scenario.title}`).join('\n')}`,
    )
    return 0
  }
  const unknown = args.scenarios.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name))
  if (unknown.length > 0) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
    )
    return 2
  }
  const chosen =
    args.scenarios.length === 0
      ? SCENARIOS
      : args.scenarios.map((name) => SCENARIOS.find((scenario) => scenario.name === name)!)
  const profileDir = args.profileDir === undefined ? undefined : resolve(args.profileDir)
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true })
  const machine = describeMachine()
  const file = resolve(REPO_ROOT, args.file ?? 'BENCHMARKS.md')
  let failed = 0
  for (const scenario of chosen) {
    const started = performance.now()
    try {
      const report = await scenario.run({ profileDir, log: (message) => console.log(`  ${message}`) })
      console.log(
        `\n${reportConsole(scenario.title, report)}\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
      )
      if (args.write) {
        const body = reportMarkdown(report, {
          date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
          machine,
          command: `npm run bench -- ${scenario.name}`,
        })
        await updateBenchmarksFile(file, [{ name: scenario.name, title: scenario.title, body }])
      }
    } catch (error) {
      failed++
      console.error(
        `\n${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
    }
  }
  if (args.write) console.log(`updated ${file}`)
  if (profileDir !== undefined)
    console.log(`CPU profiles in ${profileDir} (open in Chrome DevTools > Performance, or speedscope)`)
  return failed > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 2
  },
)
