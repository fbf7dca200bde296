import type { DagResult } from '../jobs/dag-job.js'
import type { Scenario } from '../scenario.js'
import { num, pct } from '../support/format.js'
import { runWorker } from '../support/run-worker.js'

const SMALL = 100_000
const LARGE = 1_000_000
const WINDOW = 256

/** Issue 2: one million items through a 6-node DAG of trivial nodes; memory must not grow with the input. */
export const dagScenario: Scenario = {
  name: 'dag',
  title: 'dag: 1,000,000 items through a 6-node DAG (issue 2)',
  async run(context) {
    const runs: Array<{ label: string; result: DagResult }> = []
    for (const items of [SMALL, LARGE]) {
      context.log(`dag: ${items.toLocaleString('en-US')} items`)
      const result = await runWorker<DagResult>(
        { type: 'dag', items, checkpoints: [SMALL, LARGE], window: WINDOW },
        { profileDir: context.profileDir, label: `dag-${items}` },
      )
      runs.push({ label: items.toLocaleString('en-US'), result })
    }
    // The observers a CLI run adds (issue 14), on the same input in the same session: the run
    // telemetry alone (what every run has), then with the Prometheus histograms (--metrics-port).
    for (const [telemetry, label] of [
      ['run', '1,000,000 + run telemetry'],
      ['run+prometheus', '1,000,000 + run telemetry + Prometheus hooks'],
    ] as const) {
      context.log(`dag: ${label}`)
      const result = await runWorker<DagResult>(
        { type: 'dag', items: LARGE, checkpoints: [], window: WINDOW, telemetry },
        { profileDir: context.profileDir, label: `dag-${telemetry}` },
      )
      runs.push({ label, result })
    }
    const small = runs[0]!.result
    const large = runs[1]!.result
    const cpuPerItem = (result: DagResult) => (result.measure.cpuMs * 1000) / result.items
    const overhead = (result: DagResult) => {
      const delta = cpuPerItem(result) - cpuPerItem(large)
      return `${delta >= 0 ? '+' : ''}${num(delta, 2)} µs/item (${num(cpuPerItem(result), 1)} vs ${num(cpuPerItem(large), 1)}; ${pct(delta / cpuPerItem(large))})`
    }
    const growth = large.measure.maxRssMb / small.measure.maxRssMb - 1
    const inRun100k = large.checkpoints.find((point) => point.items === SMALL)
    const inRun1M = large.checkpoints.find((point) => point.items === LARGE)
    const inRunGrowth = inRun100k && inRun1M ? inRun1M.rssMb / inRun100k.rssMb - 1 : undefined
    return {
      parameters: [
        ['graph', 'a -> (b, c) -> d -> e (when d.value >= 0) -> f (needs d, e); null sink'],
        ['source', 'generated lazily, no file'],
        ['run.window', String(WINDOW)],
        [
          'driver',
          'executePipeline (the engine alone: no run journal), one fresh `node --expose-gc` process per run; the last two runs add the observers of `dataflow run` (RunTelemetry) and of `--metrics-port` (@dataflow/metrics hooks)',
        ],
      ],
      tables: [
        {
          headers: [
            'Items',
            'Wall s',
            'Items/s',
            'Engine CPU µs/item',
            'RSS at start MB',
            'Peak RSS MB',
            'Heap after run+GC MB',
            'Outcomes ok',
          ],
          rows: runs.map(({ label, result }) => [
            label,
            num(result.measure.wallMs / 1000, 1),
            num(result.itemsPerSecond, 0),
            num((result.measure.cpuMs * 1000) / result.items, 1),
            num(result.measure.startRssMb, 1),
            num(result.measure.maxRssMb, 1),
            num(result.measure.endHeapMb, 1),
            num(result.ok, 0),
          ]),
        },
      ],
      checks: [
        {
          target: 'peak RSS at 1M within 15% of peak RSS at 100k',
          measured: `${num(large.measure.maxRssMb, 1)} MB vs ${num(small.measure.maxRssMb, 1)} MB (${growth >= 0 ? '+' : ''}${pct(growth)})`,
          pass: growth <= 0.15,
        },
        {
          target: 'same run: RSS after 1M items within 15% of RSS after 100k',
          measured:
            inRun100k && inRun1M
              ? `${num(inRun1M.rssMb, 1)} MB vs ${num(inRun100k.rssMb, 1)} MB (${pct(inRunGrowth)})`
              : 'n/a',
          pass: inRunGrowth === undefined ? undefined : inRunGrowth <= 0.15,
        },
        {
          target: 'CPU the run telemetry adds (distributions, gallery, error groups per item), 1M items',
          measured: overhead(runs[2]!.result),
          pass: undefined,
        },
        {
          target: 'CPU the run telemetry and the Prometheus histograms add (one observation per node call), 1M items',
          measured: overhead(runs[3]!.result),
          pass: undefined,
        },
      ],
      notes: [
        'Peak RSS is the kernel\'s ru_maxrss of the run\'s process, module loading included (the "RSS at start" column is after loading, before the run).',
      ],
    }
  },
}
