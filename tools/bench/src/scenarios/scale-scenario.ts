import type { PipelineResult, RunSummary } from '../jobs/pipeline-job.js'
import type { Scenario } from '../scenario.js'
import { num, pct } from '../support/format.js'
import { benchPipeline } from '../support/paths.js'
import { runWorker } from '../support/run-worker.js'
import { withFleet } from '../support/with-fleet.js'

const SIZES = [10_000, 100_000, 1_000_000]
const SAMPLE_EVERY = 100
const RSS_LIMIT_MB = 300

/** Issue 5: a cheap pipeline at 10k, 100k and 1M items; memory must stay flat. */
export const scaleScenario: Scenario = {
  name: 'scale',
  title: 'scale: 10k, 100k and 1M items of a cheap pipeline (issue 5)',
  async run(context) {
    const runs: Array<{ items: number; summary: RunSummary }> = []
    await withFleet([{ maxSeqs: 64, timeScale: 0.001 }], async (fleet) => {
      for (const items of SIZES) {
        context.log(`scale: ${items.toLocaleString('en-US')} items`)
        const result = await runWorker<PipelineResult>(
          {
            type: 'pipeline',
            file: benchPipeline('scale.yaml'),
            env: { BENCH_LLM_URL: fleet.servers[0]!.url },
            set: [`source.with.count=${items}`, `source.with.sampleEvery=${SAMPLE_EVERY}`],
            checkpoints: SIZES.filter((size) => size <= items),
          },
          { profileDir: context.profileDir, label: `scale-${items}` },
        )
        runs.push({ items, summary: result.run })
      }
    })
    const at = (items: number) => runs.find((run) => run.items === items)!.summary
    const [small, large] = [at(100_000), at(1_000_000)]
    const growth = large.measure.maxRssMb / small.measure.maxRssMb - 1
    const inRun = large.checkpoints
    return {
      parameters: [
        [
          'pipeline',
          `tools/bench/pipelines/scale.yaml: generated items -> 2 trivial nodes -> the reasoner (a text model call) on every ${SAMPLE_EVERY}th item -> JSONL sink on disk`,
        ],
        ['simulator', 'max-seqs 64, time scale 0.001 (fast: the model is not the bottleneck), own process'],
        [
          'driver',
          'runPipeline (as the CLI runs it, run journal on), one fresh `node --expose-gc` process per size; run.window 256',
        ],
      ],
      tables: [
        {
          headers: [
            'Items',
            'Wall s',
            'Items/s',
            'Model requests',
            'Engine CPU µs/item',
            'RSS at start MB',
            'Peak RSS MB',
            'Heap after run+GC MB',
            'Outcomes ok',
          ],
          rows: runs.map(({ items, summary }) => [
            items.toLocaleString('en-US'),
            num(summary.wallMs / 1000, 1),
            num(items / (summary.wallMs / 1000), 0),
            num(summary.requests, 0),
            num((summary.measure.cpuMs * 1000) / items, 1),
            num(summary.measure.startRssMb, 1),
            num(summary.measure.maxRssMb, 1),
            num(summary.measure.endHeapMb, 1),
            num(summary.outcomes.ok, 0),
          ]),
        },
        {
          caption: 'Inside the 1M run: RSS and heap when the item count passed each size',
          headers: ['Items done', 'RSS MB', 'Heap MB'],
          rows: inRun.map((point) => [point.items.toLocaleString('en-US'), num(point.rssMb, 1), num(point.heapMb, 1)]),
        },
      ],
      checks: [
        {
          target: 'peak RSS at 1M within 15% of peak RSS at 100k',
          measured: `${num(large.measure.maxRssMb, 1)} MB vs ${num(small.measure.maxRssMb, 1)} MB (${growth >= 0 ? '+' : ''}${pct(growth)})`,
          pass: growth <= 0.15,
        },
        {
          target: `peak RSS under ${RSS_LIMIT_MB} MB`,
          measured: `${num(Math.max(...runs.map((run) => run.summary.measure.maxRssMb)), 1)} MB (largest of the three runs)`,
          pass: runs.every((run) => run.summary.measure.maxRssMb < RSS_LIMIT_MB),
        },
      ],
      notes: ["Peak RSS is the kernel's ru_maxrss of the run's process, module loading included."],
    }
  },
}
