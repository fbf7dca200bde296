import { DEFAULT_SETTINGS } from '@dataflow/inference-sim'
import type { CapflowResult } from '../jobs/capflow-job.js'
import type { Scenario } from '../scenario.js'
import { num } from '../support/format.js'
import { benchPipeline } from '../support/paths.js'
import { runWorker } from '../support/run-worker.js'
import { slotMs, timeScaleFor } from '../support/sim-timing.js'
import { withFleet } from '../support/with-fleet.js'

const MAX_SEQS = 64
const ITEMS = 3000
const ROUNDS = 3
const WIRES = ['http', 'openai'] as const

/** Decision 0012: the node scenario's text run with each inference wire, interleaved, same run. */
export const wireScenario: Scenario = {
  name: 'wire',
  title: 'wire: the inference wire, own node:http client vs the openai package (decision 0012)',
  async run(context) {
    const sim = DEFAULT_SETTINGS
    const timeScale = timeScaleFor(
      { ...sim, maxSeqs: MAX_SEQS },
      slotMs({ ...sim, maxSeqs: MAX_SEQS, timeScale: 1 }, 150, sim.meanOutputTokens),
      250,
    )
    const cpu: Record<string, number[]> = { http: [], openai: [] }
    const rows: string[][] = []
    for (let round = 1; round <= ROUNDS; round++) {
      for (const wire of WIRES) {
        context.log(`wire: round ${round}, ${wire}`)
        const run = await withFleet([{ maxSeqs: MAX_SEQS, timeScale }], (fleet) =>
          runWorker<CapflowResult>(
            {
              type: 'capflow',
              mode: 'graph',
              wire,
              file: benchPipeline('node-text.yaml'),
              env: { BENCH_LLM_URL: fleet.servers[0]!.url },
              set: [
                `source.with.count=${ITEMS}`,
                `models.llm.maxConcurrency=${2 * MAX_SEQS}`,
                `models.llm.initialConcurrency=${MAX_SEQS}`,
                'models.llm.metrics.intervalMs=100',
                `run.window=${4 * MAX_SEQS}`,
              ],
            },
            { profileDir: context.profileDir, label: `wire-${wire}` },
          ),
        )
        const summary = run.result.run
        const perRequest = summary.measure.cpuMs / summary.requests
        cpu[wire]!.push(perRequest)
        rows.push([String(round), wire, num(summary.requests, 0), num(summary.wallMs / 1000, 1), num(perRequest, 3)])
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
    return {
      parameters: [
        [
          'runs',
          `text (reasoner) node, ${ITEMS} items, max-seqs ${MAX_SEQS}, time scale ${timeScale}, ${ROUNDS} rounds, wires interleaved`,
        ],
        ['driver', 'executePipeline in a fresh child process per run (no run journal), simulator in another process'],
      ],
      tables: [
        { headers: ['Round', 'Wire', 'Requests', 'Wall s', 'Engine CPU ms/request'], rows },
        {
          caption: 'Means',
          headers: ['Wire', 'Engine CPU ms/request'],
          rows: WIRES.map((wire) => [wire, num(mean(cpu[wire]!), 3)]),
        },
      ],
      checks: [],
      notes: [
        '`http`: our own small client (node:http with our keep-alive agent, JSON.stringify, JSON.parse, status -> DataflowError code). `openai`: the openai package used plainly (its fetch, parsing and error classes, retries off), errors mapped straight to the same codes.',
      ],
    }
  },
}
