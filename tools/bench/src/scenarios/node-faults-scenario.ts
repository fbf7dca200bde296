import { DEFAULT_SETTINGS } from '@dataflow/inference-sim'
import type { Scenario } from '../scenario.js'
import { CLIENT_LABELS, controlTable, runFaultMatrix, runsTable } from '../support/fault-runs.js'
import { benchPipeline } from '../support/paths.js'
import { slotMs, timeScaleFor } from '../support/sim-timing.js'
import { HAS_TIMEOUT_FLOOR, peerLimit } from './capflow-faults-scenario.js'

const MAX_SEQS = 64
/** Real requests per second a full server answers (as in the node scenario). */
const RATE = 250
const ITEMS = 3000
const PROMPT_TOKENS = 150
const CAP_SECONDS = 600
const PEER_TIMEOUT_MS = 10_000

/** Issue 9: one text model node under injected faults, against the streaming client in the same run. */
export const nodeFaultsScenario: Scenario = {
  name: 'node-faults',
  title: 'node-faults: one model node when the server misbehaves (issue 9)',
  async run(context) {
    const sim = DEFAULT_SETTINGS
    const timeScale = timeScaleFor(
      { ...sim, maxSeqs: MAX_SEQS },
      slotMs({ ...sim, maxSeqs: MAX_SEQS, timeScale: 1 }, PROMPT_TOKENS, sim.meanOutputTokens),
      RATE,
    )
    // ~10 typical answers at a full batch, in real ms (the floor of the adaptive timeout).
    const floorMs = Math.round(
      10 * slotMs({ ...sim, maxSeqs: MAX_SEQS, timeScale: 1 }, PROMPT_TOKENS, sim.meanOutputTokens) * timeScale,
    )
    const runs = await runFaultMatrix(
      {
        sims: [{ maxSeqs: MAX_SEQS, timeScale }],
        names: ['LLM'],
        clients: ['dataflow', 'streaming'],
        job: (fleet, client) => {
          const url = fleet.servers[0]!.url
          return {
            type: 'capflow',
            mode: 'graph',
            file: benchPipeline('node-text.yaml'),
            env: { BENCH_LLM_URL: url },
            set: [
              `source.with.count=${ITEMS}`,
              `models.llm.maxConcurrency=${2 * MAX_SEQS}`,
              `models.llm.initialConcurrency=${MAX_SEQS}`,
              'models.llm.metrics.intervalMs=100',
              `run.window=${4 * MAX_SEQS}`,
              ...(HAS_TIMEOUT_FLOOR ? [`models.llm.minTimeoutMs=${floorMs}`] : []),
            ],
            capSeconds: CAP_SECONDS,
            ...(client === 'streaming'
              ? {
                  client: {
                    type: 'streaming',
                    limits: { [url]: peerLimit(MAX_SEQS) },
                    timeoutMs: PEER_TIMEOUT_MS,
                    maxRetries: 5,
                  },
                }
              : {}),
          }
        },
      },
      context,
    )
    return {
      parameters: [
        ['node', `the reasoner on ${ITEMS} generated text items (tools/bench/pipelines/node-text.yaml)`],
        ['server', `max-seqs ${MAX_SEQS}, time scale ${timeScale} (~${RATE} requests/s when full), default timing`],
        [
          'dataflow',
          `maxConcurrency ${2 * MAX_SEQS}, initialConcurrency ${MAX_SEQS}, /metrics every 100 ms, run.window ${4 * MAX_SEQS}, adaptive timeout floor ${floorMs} ms real`,
        ],
        [
          CLIENT_LABELS.streaming,
          `openai SDK streaming, fixed limit ${peerLimit(MAX_SEQS)} (1.25 x max-seqs), maxRetries 5, timeout ${PEER_TIMEOUT_MS} ms, in the same graph`,
        ],
        ['cap', `${CAP_SECONDS} s per run`],
      ],
      tables: [runsTable(runs, ['LLM']), controlTable(runs, ['LLM'])],
      checks: [],
      notes: [
        'Same profiles and drawing rule as capflow-faults; "% of ceiling" uses the server\'s own token counters of each run.',
      ],
    }
  },
}
