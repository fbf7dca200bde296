import { modelConfigSchema } from '@dataflow/inference'
import type { CapflowJob } from '../jobs/capflow-job.js'
import type { Scenario, TargetCheck } from '../scenario.js'
import { BIG_MIX, MIX } from '../support/fault-profiles.js'
import {
  CLIENT_LABELS,
  controlTable,
  findRun,
  runFaultMatrix,
  runsTable,
  type FaultRun,
} from '../support/fault-runs.js'
import { num } from '../support/format.js'
import { imageDataset } from '../support/image-dataset.js'
import { repoPath } from '../support/paths.js'
import { CAPFLOW_STAGES } from './capflow-scenario.js'

const ITEMS = 300
const VLM_SEQS = 32
const LLM_SEQS = 16
const TIME_SCALE = 0.06
const VLM_PREFIX_CACHE = 50_000
/** A run that has not finished after this long is stopped and reported as capped. */
const CAP_SECONDS = 600
/** The streaming client's timeout: ~170 s simulated, far above any answer of this server. */
const PEER_TIMEOUT_MS = 10_000
/** The streaming client's fixed limit: max-seqs and a quarter more, so a few wait at the server. */
export const peerLimit = (maxSeqs: number) => Math.round(1.25 * maxSeqs)
/**
 * The floor of dataflow's adaptive timeout, in real ms: ~17 s simulated at this time scale (the
 * default floor is meant for real servers in real time).
 */
const TIMEOUT_FLOOR_MS = 1000
/** Builds before the adaptive timeout have no such setting (the benchmark measured them too). */
export const HAS_TIMEOUT_FLOOR = 'minTimeoutMs' in (modelConfigSchema.properties ?? {})

/** The same settings as the capflow scenario: adaptive limit from /metrics, started at max-seqs. */
function concurrency(model: string, maxSeqs: number): string[] {
  return [
    `models.${model}.maxConcurrency=${2 * maxSeqs}`,
    `models.${model}.initialConcurrency=${maxSeqs}`,
    `models.${model}.metrics.intervalMs=100`,
  ]
}

const gpuTotal = (run: FaultRun | undefined) =>
  run?.run.result.gpuCost === undefined ? undefined : Object.values(run.run.result.gpuCost).reduce((a, b) => a + b, 0)

/** Issue 9: CapFlow under injected server faults, against a hand-tuned streaming client in the same run. */
export const capflowFaultsScenario: Scenario = {
  name: 'capflow-faults',
  title: 'capflow-faults: CapFlow when the servers misbehave (issue 9)',
  async run(context) {
    context.log(`capflow-faults: image dataset of ${ITEMS} distinct images`)
    const metafile = await imageDataset(ITEMS)
    const runs = await runFaultMatrix(
      {
        sims: [
          { maxSeqs: VLM_SEQS, timeScale: TIME_SCALE, prefixCacheTokens: VLM_PREFIX_CACHE },
          { maxSeqs: LLM_SEQS, timeScale: TIME_SCALE },
        ],
        names: ['VLM', 'LLM'],
        clients: ['dataflow', 'streaming'],
        stagesFor: (profile) => profile.name === 'none' || profile.name === MIX,
        job(fleet, client): CapflowJob {
          const vlm = fleet.servers[0]!
          const llm = fleet.servers[1]!
          return {
            type: 'capflow',
            mode: client === 'stages' ? 'stages' : 'graph',
            ...(client === 'stages' ? { stages: CAPFLOW_STAGES } : {}),
            file: repoPath('pipelines/capflow.yaml'),
            env: { VLM_BASE_URL: vlm.url, LLM_BASE_URL: llm.url },
            set: [
              `source.with.metafile=${metafile}`,
              ...concurrency('vlm', VLM_SEQS),
              ...concurrency('llm', LLM_SEQS),
              ...(HAS_TIMEOUT_FLOOR
                ? [`models.vlm.minTimeoutMs=${TIMEOUT_FLOOR_MS}`, `models.llm.minTimeoutMs=${TIMEOUT_FLOOR_MS}`]
                : []),
            ],
            capSeconds: CAP_SECONDS,
            ...(client === 'streaming'
              ? {
                  client: {
                    type: 'streaming',
                    limits: { [vlm.url]: peerLimit(VLM_SEQS), [llm.url]: peerLimit(LLM_SEQS) },
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
    const clean = findRun(runs, 'none', 'dataflow')
    const ratio = (profile: string, other: FaultRun | undefined) => {
      const run = findRun(runs, profile, 'dataflow')
      return run && other ? run.itemsPerSecond / other.itemsPerSecond : undefined
    }
    const mixStreaming = findRun(runs, MIX, 'streaming')
    const big = findRun(runs, BIG_MIX, 'dataflow')
    const bigSummary = big?.run.result.run
    const lost = bigSummary ? ITEMS - bigSummary.outcomes.ok - bigSummary.outcomes.rejected : undefined
    const costRatio = (gpuTotal(big) ?? NaN) / (gpuTotal(clean) ?? NaN)
    const check = (target: string, value: number | undefined, threshold: number, measured?: string): TargetCheck => ({
      target,
      measured: measured ?? `${num(value, 3)}`,
      pass: value === undefined || Number.isNaN(value) ? undefined : value >= threshold,
    })
    const checks: TargetCheck[] = [
      check(`items/s with ${MIX} >= 0.9 x fault-free`, ratio(MIX, clean), 0.9),
      check(`items/s with ${MIX} >= 0.9 x the streaming client under the same faults`, ratio(MIX, mixStreaming), 0.9),
      check('items/s with 5% 429 >= 0.85 x fault-free', ratio('5% 429', clean), 0.85),
      check(`items/s with ${BIG_MIX} >= 0.5 x fault-free`, ratio(BIG_MIX, clean), 0.5),
      {
        target: `nothing lost under ${BIG_MIX} (every item ok or rejected, no node error)`,
        measured: bigSummary
          ? `${lost} of ${ITEMS} items without an ok/rejected outcome; node errors ${JSON.stringify(bigSummary.errorsByCode)}`
          : 'n/a',
        pass: bigSummary ? lost === 0 && Object.keys(bigSummary.errorsByCode).length === 0 : undefined,
      },
      {
        target: `GPU-time cost under ${BIG_MIX} <= 1.5 x fault-free`,
        measured: `${num(gpuTotal(big), 4)} vs ${num(gpuTotal(clean), 4)} USD = ${num(costRatio, 2)}x`,
        pass: Number.isFinite(costRatio) ? costRatio <= 1.5 : undefined,
      },
    ]
    return {
      parameters: [
        ['items', `${ITEMS} distinct images made from data/sample`],
        [
          'servers',
          `VLM max-seqs ${VLM_SEQS} (prefix cache ${VLM_PREFIX_CACHE.toLocaleString('en-US')} tokens), LLM max-seqs ${LLM_SEQS}, time scale ${TIME_SCALE}, the same faults on both`,
        ],
        [
          'dataflow',
          `pipelines/capflow.yaml as the capflow scenario runs it (maxConcurrency 2 x max-seqs, initialConcurrency max-seqs, /metrics every 100 ms; run.window 256), adaptive timeout floor ${TIMEOUT_FLOOR_MS} ms real (~${Math.round(TIMEOUT_FLOOR_MS / TIME_SCALE / 1000)} s simulated), everything else default`,
        ],
        [
          CLIENT_LABELS.streaming,
          `the same graph and nodes with services.inference replaced by the openai SDK streaming (stream_options.include_usage), a fixed in-flight limit per server of 1.25 x its max-seqs (a few requests waiting at the server keep its batch full), the SDK's retries (maxRetries 5, its backoff, Retry-After honoured), timeout ${PEER_TIMEOUT_MS} ms, up to 5 more attempts for answers broken mid-stream`,
        ],
        [
          CLIENT_LABELS.stages,
          "the capflow scenario's baseline: the same nodes as 5 barrier pipelines, with our inference layer",
        ],
        ['cap', `a run still going after ${CAP_SECONDS} s is stopped and reported as capped`],
      ],
      tables: [runsTable(runs, ['VLM', 'LLM']), controlTable(runs, ['VLM', 'LLM'])],
      checks,
      notes: [
        "Faults are drawn by the simulator per request from its seed and the request's arrival order (0, 1, 2, ... since the reset before each run), one independent draw per kind, so every client meets the same fault rates; a retried request is a new arrival and draws again.",
        '% of ceiling: items/s over min over the two servers of max-seqs / (slot time per item) in that run (see the capflow scenario); a request that failed fast (429, 500) costs no slot time, a malformed answer costs its full slot.',
        'Longest silence: the longest stretch (real s, 100 ms resolution) in which a server received no request while the run was active.',
        "GPU cost: the report's cost.byGpu of the dataflow run (capflow.yaml prices: 4 GPUs per server at 2.5 USD per GPU-hour), in the run's real seconds.",
      ],
    }
  },
}
