import { DEFAULT_SETTINGS } from '@dataflow/inference-sim'
import type { HttpFloorResult } from '../jobs/http-floor-job.js'
import type { PipelineResult, RunSummary } from '../jobs/pipeline-job.js'
import type { Scenario, TargetCheck } from '../scenario.js'
import { num, pct } from '../support/format.js'
import { imageDataset } from '../support/image-dataset.js'
import { benchPipeline, repoPath } from '../support/paths.js'
import { runWorker } from '../support/run-worker.js'
import { steadyUtilisation } from '../support/sim-fleet.js'
import { slotMs, timeScaleFor } from '../support/sim-timing.js'
import { withFleet, type FleetRun } from '../support/with-fleet.js'

const TEXT_SEQS = [16, 64, 256]
const IMAGE_SEQS = 64
/** Real requests per second the server answers when full: sets the time scale of each run. */
const TEXT_RATE = 250
const IMAGE_RATE = 50
const TEXT_SECONDS = 12
const IMAGE_ITEMS = 400
/** Expected work of one request (reasoner prompt ~150 tokens, image ~1,100), to pick the time scale. */
const TEXT_PROMPT = 150
const IMAGE_PROMPT = 1100
const METRICS_INTERVAL_MS = 100
const FLOOR_REQUESTS = 1500

interface Row {
  variant: string
  maxSeqs: number
  timeScale: number
  run: FleetRun<PipelineResult>
}

/** The model settings of the node: adaptive concurrency steered by the server's /metrics. */
function modelSettings(model: string, maxSeqs: number): string[] {
  return [
    `models.${model}.maxConcurrency=${2 * maxSeqs}`,
    `models.${model}.initialConcurrency=${maxSeqs}`,
    `models.${model}.metrics.intervalMs=${METRICS_INTERVAL_MS}`,
    `run.window=${Math.max(256, 4 * maxSeqs)}`,
  ]
}

/** Issue 3: one model node against one simulator at several --max-seqs: utilisation and engine CPU per request. */
export const nodeScenario: Scenario = {
  name: 'node',
  title: 'node: one model node against the simulator (issue 3)',
  async run(context) {
    const sim = DEFAULT_SETTINGS
    const rows: Row[] = []
    for (const maxSeqs of TEXT_SEQS) {
      const timeScale = timeScaleFor(
        { ...sim, maxSeqs },
        slotMs({ ...sim, maxSeqs, timeScale: 1 }, TEXT_PROMPT, sim.meanOutputTokens),
        TEXT_RATE,
      )
      const items = TEXT_RATE * TEXT_SECONDS
      context.log(`node: text, max-seqs ${maxSeqs}, time scale ${timeScale}, ${items} items`)
      const run = await withFleet([{ maxSeqs, timeScale }], (fleet) =>
        runWorker<PipelineResult>(
          {
            type: 'pipeline',
            file: benchPipeline('node-text.yaml'),
            env: { BENCH_LLM_URL: fleet.servers[0]!.url },
            set: [`source.with.count=${items}`, ...modelSettings('llm', maxSeqs)],
          },
          { profileDir: context.profileDir, label: `node-text-${maxSeqs}` },
        ),
      )
      rows.push({ variant: 'text (reasoner)', maxSeqs, timeScale, run })
    }

    const floorSeqs = 64
    const floorScale = rows.find((row) => row.maxSeqs === floorSeqs)!.timeScale
    context.log(`node: HTTP floor, ${FLOOR_REQUESTS} bare node:http requests, max-seqs ${floorSeqs}`)
    const floor = (
      await withFleet([{ maxSeqs: floorSeqs, timeScale: floorScale }], (fleet) =>
        runWorker<HttpFloorResult>({
          type: 'http-floor',
          url: fleet.servers[0]!.url,
          requests: FLOOR_REQUESTS,
          concurrency: 2 * floorSeqs,
        }),
      )
    ).result
    const floorMs = floor.cpuMs / floor.requests

    context.log(`node: image dataset of ${IMAGE_ITEMS} distinct images`)
    const metafile = await imageDataset(IMAGE_ITEMS)
    const timeScale = timeScaleFor(
      { ...sim, maxSeqs: IMAGE_SEQS },
      slotMs({ ...sim, maxSeqs: IMAGE_SEQS, timeScale: 1 }, IMAGE_PROMPT, sim.meanOutputTokens),
      IMAGE_RATE,
    )
    context.log(
      `node: image, max-seqs ${IMAGE_SEQS}, time scale ${timeScale}, ${IMAGE_ITEMS} items (media preparation measured alone first)`,
    )
    const imageRun = await withFleet([{ maxSeqs: IMAGE_SEQS, timeScale }], (fleet) =>
      runWorker<PipelineResult>(
        {
          type: 'pipeline',
          before: { file: benchPipeline('media-only.yaml'), env: {}, set: [`source.with.metafile=${metafile}`] },
          file: repoPath('pipelines/metacaptioner.yaml'),
          env: { CAPTIONER_BASE_URL: fleet.servers[0]!.url },
          set: [`source.with.metafile=${metafile}`, ...modelSettings('captioner', IMAGE_SEQS)],
        },
        { profileDir: context.profileDir, label: 'node-image' },
      ),
    )
    rows.push({ variant: 'image (metacaptioner)', maxSeqs: IMAGE_SEQS, timeScale, run: imageRun })

    const cpuPerRequest = (summary: RunSummary, minus?: RunSummary) =>
      (summary.measure.cpuMs - (minus?.measure.cpuMs ?? 0)) / summary.requests
    const table = rows.map(({ variant, maxSeqs, timeScale: scale, run }) => {
      const stats = run.stats[0]!
      const summary = run.result.run
      const steady = steadyUtilisation(run.samples[0]!, maxSeqs)
      const cpu = cpuPerRequest(summary)
      /** Image preparation excluded (text runs have none). */
      const engineCpu = cpuPerRequest(summary, run.result.before)
      return {
        variant,
        maxSeqs,
        steady,
        engineCpu,
        cells: [
          variant,
          String(maxSeqs),
          String(scale),
          num(summary.requests, 0),
          num(summary.wallMs / 1000, 1),
          num(summary.requests / (summary.wallMs / 1000), 0),
          pct(steady),
          pct(stats.utilisation.busy),
          num(stats.queueWaitMs.simulated.p95 / 1000, 2),
          `${stats.peaks.running}+${stats.peaks.waiting}`,
          num(cpu, 3),
          num(engineCpu, 3),
          `${num(engineCpu / floorMs, 1)}x`,
          num(summary.measure.maxRssMb, 0),
        ],
      }
    })
    const checks: TargetCheck[] = table.map((row) => ({
      target: `steady-state utilisation >= 0.95 (${row.variant}, max-seqs ${row.maxSeqs})`,
      measured: pct(row.steady),
      pass: row.steady === undefined ? undefined : row.steady >= 0.95,
    }))
    for (const row of table) {
      checks.push({
        target: `engine CPU < 0.3 ms/request, image encoding excluded (${row.variant}, max-seqs ${row.maxSeqs})`,
        measured: `${num(row.engineCpu, 3)} ms`,
        pass: row.engineCpu < 0.3,
        note: `${num(row.engineCpu / floorMs, 1)}x the bare node:http client's ${num(floorMs, 3)} ms`,
      })
    }
    const mediaCpu = imageRun.result.before
    return {
      parameters: [
        [
          'simulator',
          `default timing (prefill ${sim.prefillMsPer1kTokens} ms/1k tokens, step ${sim.baseStepMs} ms x (1 + ${sim.stepSlope} x running/max-seqs), ~${sim.meanOutputTokens} output tokens), own child process`,
        ],
        [
          'time scale',
          `chosen per run so that a full server answers ~${TEXT_RATE} text or ~${IMAGE_RATE} image requests/s of real time`,
        ],
        [
          'engine',
          'runPipeline (as the CLI runs it, run journal on) in a fresh child process; maxConcurrency 2 x max-seqs, initialConcurrency max-seqs, adaptive limit from /metrics (every 100 ms real), run.window max(256, 4 x max-seqs)',
        ],
        ['image items', `${IMAGE_ITEMS} distinct JPEGs made from data/sample images`],
      ],
      tables: [
        {
          headers: [
            'Variant',
            'max-seqs',
            'Time scale',
            'Requests',
            'Wall s',
            'Req/s',
            'Utilisation steady',
            'Utilisation busy',
            'Queue p95 sim s',
            'Peak running+waiting',
            'Engine CPU ms/req',
            'ms/req excl. image prep',
            'vs bare HTTP',
            'Peak RSS MB',
          ],
          rows: table.map((row) => row.cells),
        },
      ],
      checks,
      notes: [
        "Utilisation steady = mean running / max-seqs over the middle 60% of the server's active period (first arrival to last completion), from the simulator's running-time integral; busy = the same over the whole time with at least one request running.",
        'Engine CPU = user + system CPU of the engine process (all its threads) over the run / requests; the simulator runs in another process.',
        `Bare HTTP floor, same run: ${FLOOR_REQUESTS} of the same text requests sent by node:http alone (keep-alive agent, JSON in and out, concurrency ${2 * floorSeqs}) cost ${num(floorMs, 3)} ms CPU per request; "vs bare HTTP" divides the engine's CPU per request by it.`,
        mediaCpu
          ? `Image variant: the media-only pass (same ${IMAGE_ITEMS} images: decode, resize, JPEG encode) took ${num(mediaCpu.measure.cpuMs, 0)} ms CPU = ${num(mediaCpu.measure.cpuMs / IMAGE_ITEMS, 2)} ms/image; it is subtracted in "excl. image prep" (with that pass's own engine work per item, so the figure flatters the engine slightly). What remains includes the per-request cost of carrying the image: base64 data URL (once per image) and a ~${num(IMAGE_PROMPT * 0.1, 0)} KB JSON body per request.`
          : '',
      ].filter((note) => note !== ''),
    }
  },
}
