#!/usr/bin/env node
import { isDataflowError } from '@dataflow/sdk'
import { HELP_TEXT, parseCliArgs } from './cli-flags.js'
import { startSimulator } from './start-simulator.js'

async function main(): Promise<void> {
  const { help, options } = parseCliArgs(process.argv.slice(2))
  if (help) {
    process.stdout.write(`${HELP_TEXT}\n`)
    return
  }
  const sim = await startSimulator(options)
  const models = sim.options.models.length > 0 ? sim.options.models.join(', ') : 'any model name'
  process.stdout.write(
    `dataflow-sim listening on ${sim.url} (TEST DOUBLE simulating vLLM: no model runs, answers are simulated; ` +
      `models: ${models}; max-seqs ${sim.options.maxSeqs}; time-scale ${sim.options.timeScale})\n`,
  )
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`dataflow-sim: ${signal}, shutting down\n`)
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const message = isDataflowError(error) ? `${error.code}: ${error.message}` : String(error)
  process.stderr.write(`dataflow-sim: ${message}\n`)
  process.exitCode = 1
})
