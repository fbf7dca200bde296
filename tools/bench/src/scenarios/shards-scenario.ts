import { loadavg } from 'node:os'
import type { ShardReadResult } from '../jobs/shard-read-job.js'
import type { Scenario } from '../scenario.js'
import { num } from '../support/format.js'
import { runWorker } from '../support/run-worker.js'
import { shardDatasets, type ShardDataset } from '../support/shard-dataset.js'

const REPEAT = 160
const SMALL = 100
const LARGE = 2080
const ROUNDS = 3
const IN_FLIGHT = 64
const TARGET_PER_SECOND = 2000

/** Issue 10: WebDataset and Parquet sources stream images to the media node's input fast, in memory independent of shard size. */
export const shardsScenario: Scenario = {
  name: 'shards',
  title: 'shards: WebDataset and Parquet sources to the media input, two shard sizes (issue 10)',
  async run(context) {
    context.log(
      `shards: building (or reusing) ${REPEAT} x 26 images as tar shards and Parquet files of ${SMALL} and ${LARGE} items`,
    )
    const datasets = await shardDatasets(REPEAT, SMALL, LARGE)
    const loadBefore = loadavg()[0]!
    const results: Array<{ dataset: ShardDataset; result: ShardReadResult; perSecond: number }> = []
    for (const dataset of datasets) {
      const rounds: ShardReadResult[] = []
      for (let round = 0; round < ROUNDS; round++) {
        rounds.push(
          await runWorker<ShardReadResult>(
            { type: 'shard-read', format: dataset.format, pattern: dataset.pattern, inFlight: IN_FLIGHT },
            { profileDir: context.profileDir, label: `shards-${dataset.format}-${dataset.perFile}` },
          ),
        )
      }
      rounds.sort((a, b) => a.measure.wallMs - b.measure.wallMs)
      const result = rounds[Math.floor(ROUNDS / 2)]!
      const perSecond = result.items / (result.measure.wallMs / 1000)
      context.log(
        `${dataset.format} ${dataset.perFile}/file: ${num(perSecond, 0)} images/s, peak RSS ${result.measure.maxRssMb} MB`,
      )
      results.push({ dataset, result, perSecond })
    }
    const loadAfter = loadavg()[0]!
    const byFormat = (format: ShardDataset['format']) => results.filter((entry) => entry.dataset.format === format)
    const checks = (['webdataset', 'parquet'] as const).flatMap((format) => {
      const [small, large] = byFormat(format)
      const slowest = Math.min(small!.perSecond, large!.perSecond)
      const ratio = large!.result.measure.maxRssMb / small!.result.measure.maxRssMb
      return [
        {
          target: `${format}: at least ${TARGET_PER_SECOND} images/s from local disk to the media input (read, no decode)`,
          measured: `${num(small!.perSecond, 0)} and ${num(large!.perSecond, 0)} images/s`,
          pass: slowest >= TARGET_PER_SECOND,
        },
        {
          target: `${format}: peak RSS independent of shard size (files of ${LARGE} items within 15% of files of ${SMALL})`,
          measured: `${large!.result.measure.maxRssMb} MB vs ${small!.result.measure.maxRssMb} MB (x${num(ratio, 2)})`,
          pass: ratio <= 1.15,
        },
      ]
    })
    return {
      parameters: [
        [
          'data',
          `data/sample's 26 images (JPEG, 0.02-0.3 MB) x ${REPEAT} under distinct keys: ${datasets[0]!.items} items per dataset`,
        ],
        [
          'layouts',
          `img2dataset tar shards ({key}.jpg/.json/.txt) and HF Parquet (image {bytes, path}, row groups of 100, snappy), in files of ${SMALL} and ${LARGE} items`,
        ],
        [
          'what is timed',
          `the real source plugin pulled record by record, and for every item media.readMedia(locator) with ${IN_FLIGHT} reads in flight (no decode), in a fresh process; median of ${ROUNDS} rounds`,
        ],
        [
          'disk',
          'local disk, files in the page cache after the first round (as on a machine that just wrote or read them)',
        ],
        [
          'machine load',
          `1-minute load average ${num(loadBefore, 1)} before and ${num(loadAfter, 1)} after, on 2 cores: images/s is what this process got of the machine; images per CPU-second is what one core does`,
        ],
      ],
      tables: [
        {
          headers: [
            'Format',
            'Items/file',
            'Items',
            'Errors',
            'Images/s',
            'MB/s',
            'CPU ms/item',
            'Images per CPU-s',
            'Peak RSS MB',
          ],
          rows: results.map(({ dataset, result, perSecond }) => [
            dataset.format,
            String(dataset.perFile),
            String(result.items),
            String(result.errors),
            num(perSecond, 0),
            num(result.bytes / 1048576 / (result.measure.wallMs / 1000), 0),
            num(result.measure.cpuMs / result.items, 3),
            num(result.items / (result.measure.cpuMs / 1000), 0),
            num(result.measure.maxRssMb, 1),
          ]),
        },
      ],
      checks,
      notes: [
        "Peak RSS is the kernel's ru_maxrss of the measuring process (startup included). A Parquet cell is read by decoding its row group's image column once (cached, bounded); a tar member by one positioned read.",
      ],
    }
  },
}
